#pragma once
// The human report: the resource tree with sizes, reconciled totals, then findings in clang's shape
// (file:line:col: severity: message [rule-id]).

#include "report/output_sink.hpp"
#include <optional>
#include <string>

#include "analysis/report_model.hpp"

namespace bootmap {

struct TextOptions {
    bool show_tree = true;
    bool color = false;
};

std::string render_text(const AnalysisReport& report, const TextOptions& options);
void write_text(OutputSink& sink, const AnalysisReport& report, const TextOptions& options);

// Just the findings block, clang-style; also what `lint`-like callers print.
// `baselined`: how many findings a --baseline accepted (said in the summary line), when one was given;
// `suppressed`: how many comments in the sources accepted; `summary`: false for the findings alone (-q).
std::string render_diagnostics_text(const std::vector<Diagnostic>& diagnostics, bool color, std::optional<std::size_t> baselined = std::nullopt,
                                    std::size_t suppressed = 0, bool summary = true);
void write_diagnostics_text(OutputSink& sink, const std::vector<Diagnostic>& diagnostics, bool color, std::optional<std::size_t> baselined = std::nullopt,
                            std::size_t suppressed = 0, bool summary = true);
// "Not checked:" and a line per reason; empty when everything could be checked.
std::string render_not_checked(const std::vector<std::string>& not_checked);

}  // namespace bootmap
