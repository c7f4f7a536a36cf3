#pragma once
// The machine-readable report. The schema is versioned (field "schema_version"); fields are only
// ever added within a version.

#include "report/output_sink.hpp"
#include <optional>
#include <string>
#include <vector>

#include "analysis/report_model.hpp"
#include "core/input_error.hpp"

namespace bootmap {

inline constexpr int kJsonSchemaVersion = 2;

struct JsonOptions {
    // `bootmap kmem`: the devices at the top level ({"devices": [...]}), the shape scripts rely on;
    // elsewhere they are under "kmem".
    bool kmem_devices_at_top = false;
};
std::string render_json(const AnalysisReport& report, const JsonOptions& options = {});
void write_json(OutputSink& sink, const AnalysisReport& report, const JsonOptions& options = {});

// A baseline file for --write-baseline: every finding's fingerprint, with its rule, place and
// message for a reviewer, sorted so that the file diffs well.
std::string render_baseline(const std::vector<Diagnostic>& diagnostics);

// One machine of a fleet run (`lint --batch`): what it was read from, how it ended, its findings.
struct BatchEntry {
    std::string machine;              // the file or directory name inside the batch directory
    std::vector<std::string> inputs;  // the files read for it
    int exit_code = 0;                // what `bootmap lint` on this machine alone would return
    std::optional<InputError> error;  // an unusable input (exit 2)
    std::vector<Diagnostic> diagnostics;
    std::vector<std::string> skipped;  // files that are no input of any kind: listed, not read
};

// The entry as one JSON object on one line (JSON Lines).
std::string render_batch_line(const BatchEntry& entry);

}  // namespace bootmap
