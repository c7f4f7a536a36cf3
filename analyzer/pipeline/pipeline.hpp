#pragma once
// The one path every command computes through: inputs → machine → the kernel's boot replayed once →
// analyses → findings under the user's policy. A command asks for the stages it prints and the
// pipeline computes each at most once, so two commands given the same inputs cannot disagree; they
// differ only in what they print.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/baseline.hpp"
#include "analysis/pipeline.hpp"
#include "analysis/report_model.hpp"
#include "analysis/severity_policy.hpp"
#include "core/input_error.hpp"
#include "kernel/boot_replay.hpp"
#include "model/machine.hpp"
#include "pipeline/input_options.hpp"
#include "pipeline/source_excerpts.hpp"
#include "predict/artifact.hpp"

namespace bootmap {

class Pipeline {
public:
    explicit Pipeline(Machine machine, AnalysisOptions options = {});

    // The given inputs read into one machine, or the machine bootmap runs on when none is given.
    // Detected kinds go to `log` in verbose mode.
    static Result<Pipeline> from_inputs(const InputOptions& inputs, std::string& log, AnalysisOptions options = {});

    [[nodiscard]] const Machine& machine() const { return machine_; }
    [[nodiscard]] const AnalysisOptions& options() const { return options_; }
    const BootReplay& replay();
    // Every analysis, before any policy: what the inputs say.
    const AnalysisReport& analysis();
    // One kernel artifact, from the replay.
    Result<std::string> predict(Artifact artifact);
    // What the prediction takes for granted.
    std::vector<std::string> assumptions();
    // The findings a gate reports: the analysis, less what comments in the sources accept, under the
    // rule policy, less what the baseline (if any) accepts. `excerpts`: attach the source line of
    // each finding (for the text report; other formats leave it out and save reading the files).
    // It takes the analysis over (a later analysis() computes it again).
    Result<AnalysisReport> findings(const SeverityPolicy& policy, const Baseline* baseline, bool excerpts = true);

private:
    Machine machine_;
    AnalysisOptions options_;
    // Computed on first use; held by pointer so a pipeline moves cheaply (from_inputs returns one).
    std::unique_ptr<const BootReplay> replay_;
    std::unique_ptr<AnalysisReport> analysis_;  // findings() takes it over
};

// Moves the findings that a suppression comment in their own source file accepts into
// report.suppressed; a malformed suppression is an input error.
std::optional<InputError> apply_source_suppressions(AnalysisReport& report, SourceTexts& sources);
// The --baseline file, read and checked.
Result<Baseline> load_baseline(const std::string& path);

}  // namespace bootmap
