#pragma once
// An inline suppression in any text input (a DTS, a .dtsi, a bootloader file), inside whatever
// comment the format has:
//   // bootmap: disable-next-line dt-rmem-overlap -- the modem firmware shares this window
//   GRUB_CMDLINE_LINUX="memmap=64M$16M"  # bootmap: disable-line cmdline-memmap-over-kernel-image -- test rig
// Rules are comma-separated; the reason after " -- " is required.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bootmap::grammars {

struct SuppressionComment {
    bool next_line = false;          // disable-next-line (else disable-line)
    std::vector<std::string> rules;
    std::string reason;              // empty when the comment gives none
    std::uint32_t column = 0;        // 1-based column of "bootmap:"
};

// nullopt when the line has no "bootmap: disable" marker.
std::optional<SuppressionComment> parse_suppression_comment(std::string_view line);

}  // namespace bootmap::grammars
