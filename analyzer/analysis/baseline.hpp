#pragma once
// A baseline: the findings a team has accepted, so that adopting bootmap on an existing tree fails
// only on new ones. Findings are matched by fingerprint (rule, file, and the address range or the
// message: not the line, so edits above a finding keep it matched), as a multiset: two identical
// findings need two baseline entries.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/input_error.hpp"

namespace bootmap {

struct Baseline {
    std::string source;
    std::map<std::string, std::size_t> fingerprints;  // fingerprint -> how many findings it accepts
};

inline constexpr int kBaselineSchemaVersion = 1;

// Reads a baseline written by --write-baseline; errors name the file and what was expected.
Result<Baseline> read_baseline(std::string_view source_name, std::string_view text);

struct BaselineSplit {
    std::vector<Diagnostic> fresh;      // not in the baseline: these are reported and gate the exit code
    std::vector<Diagnostic> baselined;  // accepted by the baseline
};
BaselineSplit split_by_baseline(std::vector<Diagnostic> diagnostics, const Baseline& baseline);

}  // namespace bootmap
