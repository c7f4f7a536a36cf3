#include "suppression_comment.hpp"

#include <re2/re2.h>

namespace bootmap::grammars {

std::optional<SuppressionComment> parse_suppression_comment(std::string_view line) {
    const auto marker = line.find("bootmap: disable");
    if (marker == std::string_view::npos) return std::nullopt;
    // Function-local: compiled once, thread-safe, no global constructor.
    static const RE2 pattern(R"(bootmap: (disable-next-line|disable-line)\s+([A-Za-z0-9,-]+)(?:\s+--\s*(.*?))?\s*(?:\*/)?\s*$)");
    std::string kind, rules, reason;
    SuppressionComment comment;
    comment.column = static_cast<std::uint32_t>(marker) + 1;
    if (!RE2::PartialMatch(re2::StringPiece(line.data() + marker, line.size() - marker), pattern, &kind, &rules, &reason)) {
        comment.rules.clear();  // a marker without a well-formed rule list: the caller reports it
        return comment;
    }
    comment.next_line = kind == "disable-next-line";
    comment.reason = reason;
    for (std::size_t start = 0; start <= rules.size();) {
        const auto comma = rules.find(',', start);
        const auto rule = rules.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!rule.empty()) comment.rules.push_back(rule);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return comment;
}

}  // namespace bootmap::grammars
