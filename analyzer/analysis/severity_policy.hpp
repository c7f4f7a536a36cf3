#pragma once
// What a team decides about the rules: which are off (-W no-RULE), which are errors (-E RULE), and
// whether every warning is an error (--werror). Applied to the finished finding list, so analyses
// never know about it.

#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/input_error.hpp"

namespace bootmap {

struct SeverityPolicy {
    std::set<std::string> disabled;
    std::set<std::string> as_error;
    bool werror = false;
    Severity floor = Severity::note;  // --min-severity: findings below it (after -E/--werror) are not reported
};

// -W values ("RULE" turns a rule back on, "no-RULE" off) and -E values; unknown rule IDs are errors,
// so a typo cannot silently disable nothing.
Result<SeverityPolicy> make_severity_policy(const std::vector<std::string>& warnings, const std::vector<std::string>& errors, bool werror);

std::vector<Diagnostic> apply_severity_policy(std::vector<Diagnostic> diagnostics, const SeverityPolicy& policy);

}  // namespace bootmap
