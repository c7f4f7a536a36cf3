#pragma once
// Text from inputs is bytes: a name in /proc/iomem or a command line may hold anything. Reports in
// formats that require UTF-8 (JSON, SARIF) or well-formed XML (JUnit, SVG, the HTML map) pass their
// finished text through here, so that no input byte can make them ill-formed.

#include <string>
#include <string_view>

namespace bootmap {

// Every byte that does not start a valid UTF-8 sequence (overlong forms, surrogates and code points
// above U+10FFFF included), and every code point XML 1.0 forbids (C0 controls but tab, LF and CR;
// U+FFFE, U+FFFF), becomes U+FFFD. Valid text comes back unchanged.
std::string xml_safe_utf8(std::string_view text);

}  // namespace bootmap
