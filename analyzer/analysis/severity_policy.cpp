#include "analysis/severity_policy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/rule_catalogue.hpp"
#include "util/edit_distance.hpp"

namespace bootmap {
namespace {

InputError unknown_rule(std::string_view option, std::string_view id) {
    std::string_view nearest;
    std::size_t best = 4;  // farther than three edits is no typo
    for (const auto& rule : rule_catalogue())
        if (const std::size_t d = edit_distance(id, rule.id); d < best) {
            best = d;
            nearest = rule.id;
        }
    return InputError{SourceLocation{std::string(option)}, fmt::format("no rule is called '{}'", id),
                      nearest.empty() ? std::string("`bootmap rules` lists every rule ID")
                                      : fmt::format("did you mean '{}'? (`bootmap rules` lists every rule ID)", nearest)};
}

}  // namespace

Result<SeverityPolicy> make_severity_policy(const std::vector<std::string>& warnings, const std::vector<std::string>& errors, bool werror) {
    SeverityPolicy policy;
    policy.werror = werror;
    for (const auto& w : warnings) {
        const bool off = w.rfind("no-", 0) == 0 && !find_rule(w);
        const std::string id = off ? w.substr(3) : w;
        if (!find_rule(id)) return unknown_rule("-W", id);
        if (off)
            policy.disabled.insert(id);
        else
            policy.disabled.erase(id);
    }
    for (const auto& e : errors) {
        if (!find_rule(e)) return unknown_rule("-E", e);
        policy.as_error.insert(e);
    }
    return policy;
}

std::vector<Diagnostic> apply_severity_policy(std::vector<Diagnostic> diagnostics, const SeverityPolicy& policy) {
    std::erase_if(diagnostics, [&](const Diagnostic& d) { return policy.disabled.count(d.rule_id) != 0; });
    for (auto& d : diagnostics)
        if (policy.as_error.count(d.rule_id) || (policy.werror && d.severity == Severity::warning)) d.severity = Severity::error;
    std::erase_if(diagnostics, [&](const Diagnostic& d) { return d.severity < policy.floor; });
    return diagnostics;
}

}  // namespace bootmap
