#pragma once
// The human report: the resource tree with sizes, reconciled totals, then findings in clang's shape
// (file:line:col: severity: message [rule-id]).

#include <string>

#include "analysis/report_model.hpp"

namespace bootmap {

struct TextOptions {
    bool show_tree = true;
    bool color = false;
};

std::string render_text(const AnalysisReport& report, const TextOptions& options);

// Just the findings block, clang-style; also what `lint`-like callers print.
std::string render_diagnostics_text(const std::vector<Diagnostic>& diagnostics, bool color);

}  // namespace bootmap
