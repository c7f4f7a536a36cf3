#pragma once
// Inline suppressions: a comment in the file a finding points at that accepts it, with a reason.
// The comments are read from each file the findings name (whatever the format), so a suppression
// can sit in a .dtsi that a board includes as well as in the board itself.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/input_error.hpp"

namespace bootmap {

struct Suppression {
    SourceLocation where;            // the comment
    std::uint32_t applies_to = 0;    // the line whose findings it accepts
    std::vector<std::string> rules;
    std::string reason;
};

// Every suppression comment in one file's text. A comment without a reason, with a rule list that
// does not parse or naming an unknown rule is an error at its place: a suppression must say why,
// and a typo must not silently accept nothing.
Result<std::vector<Suppression>> read_suppressions(std::string_view file, std::string_view text);
// The same from the numbered lines of a file that carry a suppression marker (a streamed file).
Result<std::vector<Suppression>> read_suppressions(std::string_view file, const std::vector<std::pair<std::uint32_t, std::string>>& lines);

struct SuppressedFinding {
    Diagnostic diagnostic;
    std::string reason;
};
struct SuppressionSplit {
    std::vector<Diagnostic> kept;
    std::vector<SuppressedFinding> suppressed;
};
SuppressionSplit apply_suppressions(std::vector<Diagnostic> diagnostics, const std::vector<Suppression>& suppressions);

}  // namespace bootmap
