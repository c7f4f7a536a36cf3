#pragma once
// The bootmap commands. Each returns the process exit code: 0 clean, 1 findings at error level,
// 2 unusable input or usage error.

#include <optional>
#include <string>
#include <vector>

#include "analysis/baseline.hpp"
#include "analysis/report_model.hpp"
#include "analysis/severity_policy.hpp"
#include "cli/input_options.hpp"
#include "pipeline/pipeline.hpp"

namespace bootmap::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitBadInput = 2;

struct OutputOptions {
    std::string format = "text";  // text | json | sarif | junit | html | svg (the map)
    std::string scale = "log";    // the map's scale: log | linear
    std::string output;           // empty: stdout
    bool no_tree = false;
    // Rule policy (-W, -E, --werror), applied to every report.
    std::vector<std::string> warnings;
    std::vector<std::string> errors;
    bool werror = false;
    std::string min_severity = "note";  // --min-severity: the least severe finding reported
    std::string color = "auto";         // --color: auto (a terminal without NO_COLOR), always, never
    bool quiet = false;                 // -q: the findings alone, without the summary line and notes
    bool findings_only = false;  // lint: the findings, not the layout
    std::string baseline;        // --baseline FILE: report only findings it does not accept
    std::string write_baseline;  // --write-baseline FILE: accept every current finding
};

int run_analyze(const InputOptions& inputs, const OutputOptions& output);
int run_iomem(const std::string& file, bool emit, const InputOptions& inputs, const OutputOptions& output);
int run_predict(const InputOptions& inputs, const std::string& artifact, const OutputOptions& output);
// Exit 0 when the layouts are equal, 1 when they differ, 2 for unusable input (as diff(1)).
// -W, -E, --werror and --min-severity as one policy; an unknown rule ID is an error.
Result<SeverityPolicy> severity_policy_of(const OutputOptions& output);

// `predicted`: hold both layouts to what a prediction models (predicted_layout_items()).
int run_diff(const std::string& before, const std::string& after, const OutputOptions& output, bool predicted = false);
// The rule catalogue; as Markdown, the tables README carries.
int run_rules(bool markdown);
// The version-gate table; with a kernel version, which gates it has.
int run_gates(const std::string& kernel, bool markdown);
int run_explain(const std::string& rule);

struct KmemOptions {
    std::vector<std::string> ranges;  // "0x240400000-0x2bfffffff", inclusive end
    std::string block_size;           // memparse syntax; empty: from the profile and the dump
    bool bare_metal = false;
    std::string stranded_threshold = "64M";
};
int run_kmem(const InputOptions& inputs, const KmemOptions& kmem, const OutputOptions& output);
int run_dmem(const InputOptions& inputs, const std::string& dmem_value, const OutputOptions& output);

}  // namespace bootmap::cli
