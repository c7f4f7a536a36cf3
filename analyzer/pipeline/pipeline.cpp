#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "analysis/suppressions.hpp"
#include "pipeline/load_machine.hpp"
#include "pipeline/source_excerpts.hpp"
#include "readers/live_machine.hpp"
#include "readers/text_file.hpp"

namespace bootmap {

Pipeline::Pipeline(Machine machine, AnalysisOptions options) : machine_(std::move(machine)), options_(options_for(machine_, options)) {}

Result<Pipeline> Pipeline::from_inputs(const InputOptions& inputs, std::string& log, AnalysisOptions options) {
    auto machine = load_machine(inputs, log);
    if (!machine) return machine.error();
    if (!inputs.any_given()) {
        // No input: the machine we run on, under the profile the options chose, with the dax
        // devices given by range.
        auto live = read_live_machine(LivePaths{}, machine.value().profile);
        if (!live) return live.error();
        live.value().dax_ranges = machine.value().dax_ranges;
        return Pipeline(std::move(live).value(), options);
    }
    return Pipeline(std::move(machine).value(), options);
}

const BootReplay& Pipeline::replay() {
    if (!replay_) replay_ = std::make_unique<const BootReplay>(replay_boot(machine_, memory_block_facts(options_)));
    return *replay_;
}

const AnalysisReport& Pipeline::analysis() {
    if (!analysis_) analysis_ = std::make_unique<AnalysisReport>(analyze_machine(machine_, replay(), options_));
    return *analysis_;
}

Result<std::string> Pipeline::predict(Artifact artifact) { return predict_artifact(machine_, replay(), artifact); }

std::vector<std::string> Pipeline::assumptions() { return prediction_assumptions(machine_, replay()); }

Result<AnalysisReport> Pipeline::findings(const SeverityPolicy& policy, const Baseline* baseline, bool excerpts) {
    // The analysis is taken over, not copied: a million findings are not held twice.
    analysis();
    AnalysisReport report = std::move(*analysis_);
    analysis_.reset();
    // Each file the findings point into is read once, for the lines the excerpts show and its
    // suppression comments.
    SourceTexts sources(machine_);
    scan_sources(report.diagnostics, sources, excerpts);
    if (auto error = apply_source_suppressions(report, sources)) return *error;
    report.diagnostics = apply_severity_policy(std::move(report.diagnostics), policy);
    sort_by_location(report.diagnostics);
    if (baseline) {
        auto split = split_by_baseline(std::move(report.diagnostics), *baseline);
        report.diagnostics = std::move(split.fresh);
        report.baselined = std::move(split.baselined);
        report.baseline_applied = true;
    }
    return report;
}

std::optional<InputError> apply_source_suppressions(AnalysisReport& report, SourceTexts& sources) {
    std::set<std::string> files;
    for (const auto& d : report.diagnostics) files.insert(d.where.file);
    std::vector<Suppression> suppressions;
    for (const auto& file : files) {
        auto found = read_suppressions(file, sources.marked_lines(file));
        if (!found) return found.error();
        suppressions.insert(suppressions.end(), found.value().begin(), found.value().end());
    }
    if (suppressions.empty()) return std::nullopt;
    auto split = apply_suppressions(std::move(report.diagnostics), suppressions);
    report.diagnostics = std::move(split.kept);
    report.suppressed = std::move(split.suppressed);
    return std::nullopt;
}

Result<Baseline> load_baseline(const std::string& path) {
    auto file = load_text_file(path);
    if (!file) return file.error();
    return read_baseline(file.value().name, file.value().contents);
}

}  // namespace bootmap
