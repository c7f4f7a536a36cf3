#include "analysis/suppressions.hpp"

#include <fmt/format.h>

#include "analysis/rule_catalogue.hpp"
#include "grammars/suppression_comment.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {

namespace {

// One line's suppression comment, if it has one; an error when it is malformed.
std::optional<InputError> read_suppression(std::string_view file, std::uint32_t number, std::string_view line, std::vector<Suppression>& out) {
    auto comment = grammars::parse_suppression_comment(line);
    if (!comment) return std::nullopt;
    const SourceLocation at{std::string(file), number, comment->column, std::nullopt};
    if (comment->rules.empty()) return InputError{at, "expected 'bootmap: disable-next-line RULE[,RULE...] -- REASON' (or disable-line)", {}};
    for (const auto& rule : comment->rules)
        if (!find_rule(rule)) return InputError{at, fmt::format("the suppression names '{}', which is no bootmap rule", rule), "bootmap rules lists them"};
    if (comment->reason.empty())
        return InputError{at, "expected a reason after ' -- ' in the suppression", "say why the finding is accepted: '... -- the bootloader moves the initrd'"};
    out.push_back({at, comment->next_line ? number + 1 : number, std::move(comment->rules), std::move(comment->reason)});
    return std::nullopt;
}

}  // namespace

Result<std::vector<Suppression>> read_suppressions(std::string_view file, std::string_view text) {
    std::vector<Suppression> out;
    TextLines lines(text);
    while (auto line = lines.next())
        if (auto error = read_suppression(file, line->number, line->text, out)) return *error;
    return out;
}

Result<std::vector<Suppression>> read_suppressions(std::string_view file, const std::vector<std::pair<std::uint32_t, std::string>>& lines) {
    std::vector<Suppression> out;
    for (const auto& [number, text] : lines)
        if (auto error = read_suppression(file, number, text, out)) return *error;
    return out;
}

SuppressionSplit apply_suppressions(std::vector<Diagnostic> diagnostics, const std::vector<Suppression>& suppressions) {
    SuppressionSplit split;
    for (auto& d : diagnostics) {
        const Suppression* match = nullptr;
        for (const auto& s : suppressions)
            if (s.where.file == d.where.file && s.applies_to == d.where.line && std::find(s.rules.begin(), s.rules.end(), d.rule_id) != s.rules.end())
                match = &s;
        if (match)
            split.suppressed.push_back({std::move(d), match->reason});
        else
            split.kept.push_back(std::move(d));
    }
    return split;
}

}  // namespace bootmap
