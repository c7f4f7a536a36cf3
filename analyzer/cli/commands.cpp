#include "cli/commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include <fmt/format.h>

#include "analysis/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "predict/artifact.hpp"
#include "readers/live_machine.hpp"
#include "report/atomic_file.hpp"
#include "report/json_reporter.hpp"
#include "report/text_reporter.hpp"

namespace bootmap::cli {
namespace {

int fail(const InputError& error) {
    std::cerr << format_input_error(error) << '\n';
    return kExitBadInput;
}

// Writes the whole result at once, to the output file (atomically) or stdout.
int deliver(const std::string& text, const OutputOptions& output) {
    if (output.output.empty()) {
        std::cout << text << std::flush;
        return std::cout ? kExitClean : kExitBadInput;
    }
    if (auto error = write_file_atomically(output.output, text)) {
        std::cerr << "bootmap: error: " << *error << '\n';
        return kExitBadInput;
    }
    return kExitClean;
}

bool stdout_wants_color(const OutputOptions& output) {
    return output.output.empty() && ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

int report(Machine machine, const OutputOptions& output) {
    const AnalysisReport result = analyze_machine(std::move(machine));
    std::string text;
    if (output.format == "json") {
        text = render_json(result);
    } else if (output.format == "text") {
        text = render_text(result, TextOptions{!output.no_tree, stdout_wants_color(output)});
    } else {
        std::cerr << fmt::format("bootmap: error: expected --format text or json, found '{}'\n", output.format);
        return kExitBadInput;
    }
    if (int rc = deliver(text, output); rc != kExitClean) return rc;
    return has_errors(result.diagnostics) ? kExitFindings : kExitClean;
}

}  // namespace

int run_analyze(const InputOptions& inputs, const OutputOptions& output) {
    std::string log;
    Result<Machine> machine = InputError{};
    if (inputs.any_given()) {
        machine = load_machine(inputs, log);
    } else {
        // No input: the machine we run on.
        auto base = load_machine(inputs, log);
        if (!base) return fail(base.error());
        machine = read_live_machine(LivePaths{}, base.value().profile);
    }
    std::cerr << log;
    if (!machine) return fail(machine.error());
    return report(std::move(machine).value(), output);
}

int run_iomem(const std::string& file, bool emit, const InputOptions& inputs, const OutputOptions& output) {
    InputOptions with_file = inputs;
    with_file.iomem = file;
    std::string log;
    auto machine = load_machine(with_file, log);
    std::cerr << log;
    if (!machine) return fail(machine.error());
    if (!emit) return report(std::move(machine).value(), output);
    auto text = predict_artifact(machine.value(), Artifact::iomem);
    if (!text) return fail(text.error());
    return deliver(text.value(), output);
}

int run_predict(const InputOptions& inputs, const std::string& artifact_name, const OutputOptions& output) {
    auto artifact = parse_artifact(artifact_name);
    if (!artifact) {
        std::string names;
        for (const auto& info : artifact_catalogue()) names += fmt::format("{}{}", names.empty() ? "" : ", ", info.name);
        std::cerr << fmt::format("bootmap: error: unknown artifact '{}'; expected one of: {}\n", artifact_name, names);
        return kExitBadInput;
    }
    std::string log;
    auto machine = load_machine(inputs, log);
    std::cerr << log;
    if (!machine) return fail(machine.error());
    auto text = predict_artifact(machine.value(), *artifact);
    if (!text) return fail(text.error());
    return deliver(text.value(), output);
}

int run_rules() {
    for (const auto& rule : rule_catalogue())
        std::cout << fmt::format("{:<30} {:<8} {}\n", rule.id, severity_name(rule.severity), rule.summary);
    return kExitClean;
}

}  // namespace bootmap::cli
