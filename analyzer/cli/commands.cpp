#include "cli/commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include <fmt/format.h>

#include "analysis/baseline.hpp"
#include "analysis/boot_param_checks.hpp"
#include "analysis/pipeline.hpp"
#include "pipeline/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "analysis/severity_policy.hpp"
#include "cli/rule_docs.hpp"
#include "predict/artifact.hpp"
#include "readers/live_machine.hpp"
#include "analysis/dmem_checks.hpp"
#include "analysis/kmem_audit.hpp"
#include "kernel/e820.hpp"
#include "model/version_gates.hpp"
#include "kernel/x86_boot.hpp"
#include "report/dmem_format.hpp"
#include "grammars/memparse.hpp"
#include "analysis/layout_diff.hpp"
#include "analysis/memory_map.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/input_kind.hpp"
#include "readers/iomem_reader.hpp"
#include "report/atomic_file.hpp"
#include "report/diff_format.hpp"
#include "report/kmem_format.hpp"
#include "report/json_reporter.hpp"
#include "report/junit_reporter.hpp"
#include "report/memory_map_svg.hpp"
#include "report/sarif_reporter.hpp"
#include "report/text_reporter.hpp"
#include "readers/text_file.hpp"

namespace bootmap::cli {
namespace {

int fail(const InputError& error) {
    std::cerr << format_input_error(error) << '\n';
    return kExitBadInput;
}

// Writes the whole result at once, to the output file (atomically) or stdout.
int deliver(const std::string& text, const OutputOptions& output) {
    if (output.output.empty()) {
        errno = 0;
        std::cout << text << std::flush;
        if (std::cout) return kExitClean;
        std::cerr << "bootmap: error: cannot write the report to standard output" << (errno ? fmt::format(": {}", std::strerror(errno)) : std::string())
                  << '\n';
        return kExitBadInput;
    }
    if (auto error = write_file_atomically(output.output, text)) {
        std::cerr << "bootmap: error: " << *error << '\n';
        return kExitBadInput;
    }
    return kExitClean;
}

// The table commands print their few findings with their tables; a baseline would silently not apply.
int refuse_baseline(std::string_view command, const OutputOptions& output) {
    if (output.baseline.empty() && output.write_baseline.empty()) return kExitClean;
    std::cerr << fmt::format("bootmap: error: --baseline and --write-baseline are not available with '{}'; use lint, analyze or dt\n", command);
    return kExitBadInput;
}

// A report too large to hold whole (a million findings), written as `write` produces it: to the
// output file (atomically: complete or not at all) or to stdout.
template <class Write>
int deliver_streamed(const OutputOptions& output, Write&& write) {
    if (output.output.empty()) {
        std::cout.flush();
        FileDescriptorSink sink(STDOUT_FILENO, "the report to standard output");
        write(static_cast<OutputSink&>(sink));
        if (sink.finish()) return kExitClean;
        std::cerr << "bootmap: error: " << sink.error() << '\n';
        return kExitBadInput;
    }
    AtomicFileSink sink(output.output);
    write(static_cast<OutputSink&>(sink));
    if (auto error = sink.commit()) {
        std::cerr << "bootmap: error: " << *error << '\n';
        return kExitBadInput;
    }
    return kExitClean;
}

// The memory map as --format html (the page) or svg (the picture alone), at the --scale asked.
std::string render_map(const MemoryMap& map, const OutputOptions& output) {
    const MapScale scale = output.scale == "linear" ? MapScale::linear : MapScale::log;
    return output.format == "html" ? render_map_html(map, scale) : render_map_svg(map, scale);
}

// json, sarif and junit: the shared reporters; nullopt for text, which each command shapes.
std::optional<std::string> render_for_machines(const AnalysisReport& report, const OutputOptions& output, const JsonOptions& json = {}) {
    const std::string_view format = output.format;
    if (format == "json") return render_json(report, json);
    if (format == "sarif") return render_sarif(report);
    if (format == "junit") return render_junit(report);
    if (format == "html" || format == "svg") return render_map(build_memory_map(report), output);
    return std::nullopt;
}

// The report of a table command (kmem, dmem): its table and findings, with the inputs it read.
AnalysisReport table_report(const Machine& machine) {
    AnalysisReport report;
    report.profile = machine.profile;
    if (machine.iomem) report.inputs.push_back({machine.iomem->source, "iomem"});
    if (machine.firmware_e820) report.inputs.push_back({machine.firmware_e820->source, "e820"});
    if (machine.srat) report.inputs.push_back({machine.srat->source, "srat"});
    if (machine.cmdline) report.inputs.push_back({machine.cmdline->source, "cmdline"});
    return report;
}

}  // namespace

Result<SeverityPolicy> severity_policy_of(const OutputOptions& output) {
    auto policy = make_severity_policy(output.warnings, output.errors, output.werror);
    if (policy)
        policy.value().floor = output.min_severity == "error" ? Severity::error : output.min_severity == "warning" ? Severity::warning : Severity::note;
    return policy;
}

namespace {

bool stdout_wants_color(const OutputOptions& output) {
    if (output.color != "auto") return output.color == "always";
    return output.output.empty() && ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
}

// Text is the command's own table followed by its findings; the other formats are the shared
// reporters over the same report.
int deliver_table(const AnalysisReport& report, const OutputOptions& output, const std::string& table, const JsonOptions& json = {}) {
    std::string text = render_for_machines(report, output, json).value_or("");
    if (output.format == "text") text = table + render_diagnostics_text(report.diagnostics, stdout_wants_color(output));
    if (int rc = deliver(text, output); rc != kExitClean) return rc;
    return has_errors(report.diagnostics) ? kExitFindings : kExitClean;
}

int report(Pipeline& pipeline, const OutputOptions& output) {
    const auto policy = severity_policy_of(output);
    if (!policy) return fail(policy.error());
    // Writing a baseline accepts everything the policy lets through; an old baseline plays no part.
    std::optional<Baseline> baseline;
    if (!output.baseline.empty() && output.write_baseline.empty()) {
        auto loaded = load_baseline(output.baseline);
        if (!loaded) return fail(loaded.error());
        baseline = std::move(loaded).value();
    }
    auto findings = pipeline.findings(policy.value(), baseline ? &*baseline : nullptr, output.format == "text");
    if (!findings) return fail(findings.error());
    AnalysisReport result = std::move(findings).value();
    if (!output.write_baseline.empty()) {
        if (auto error = write_file_atomically(output.write_baseline, render_baseline(result.diagnostics))) {
            std::cerr << "bootmap: error: " << *error << '\n';
            return kExitBadInput;
        }
        std::cerr << fmt::format("bootmap: {} finding{} written to the baseline {}\n", result.diagnostics.size(),
                                 result.diagnostics.size() == 1 ? "" : "s", output.write_baseline);
        return kExitClean;
    }
    const std::string_view format = output.format;
    if (format == "html" || format == "svg") {
        // The picture holds copies of what it draws: the findings go before it is rendered.
        const bool errors = has_errors(result.diagnostics);
        const MemoryMap map = build_memory_map(result);
        result = AnalysisReport{};
        const int rc = deliver_streamed(output, [&](OutputSink& sink) { sink.append(render_map(map, output)); });
        if (rc != kExitClean) return rc;
        return errors ? kExitFindings : kExitClean;
    }
    if (format != "text" && format != "json" && format != "sarif" && format != "junit") {
        std::cerr << fmt::format("bootmap: error: expected --format text, json, sarif or junit, found '{}'\n", output.format);
        return kExitBadInput;
    }
    const int rc = deliver_streamed(output, [&](OutputSink& sink) {
        if (format == "json") {
            write_json(sink, result);
        } else if (format == "sarif") {
            write_sarif(sink, result);
        } else if (format == "junit") {
            write_junit(sink, result);
        } else if (format != "text") {
            sink.append(*render_for_machines(result, output));
        } else if (output.findings_only) {
            write_diagnostics_text(sink, result.diagnostics, stdout_wants_color(output),
                                   result.baseline_applied ? std::optional(result.baselined.size()) : std::nullopt, result.suppressed.size(),
                                   !output.quiet);
            if (!output.quiet) sink.append(render_not_checked(result.not_checked));
        } else {
            write_text(sink, result, TextOptions{!output.no_tree, stdout_wants_color(output)});
        }
    });
    if (rc != kExitClean) return rc;
    return has_errors(result.diagnostics) ? kExitFindings : kExitClean;
}

}  // namespace

// Reads the inputs into the pipeline, saying what verbose mode detected; the error is printed.
std::optional<Pipeline> open_pipeline(const InputOptions& inputs, AnalysisOptions options = {}) {
    std::string log;
    auto pipeline = Pipeline::from_inputs(inputs, log, options);
    std::cerr << log;
    if (!pipeline) {
        fail(pipeline.error());
        return std::nullopt;
    }
    return std::move(pipeline).value();
}

int run_analyze(const InputOptions& inputs, const OutputOptions& output) {
    auto pipeline = open_pipeline(inputs);
    if (!pipeline) return kExitBadInput;
    return report(*pipeline, output);
}

int run_iomem(const std::string& file, bool emit, const InputOptions& inputs, const OutputOptions& output) {
    InputOptions with_file = inputs;
    with_file.iomem = file;
    auto pipeline = open_pipeline(with_file);
    if (!pipeline) return kExitBadInput;
    if (!emit) return report(*pipeline, output);
    auto text = pipeline->predict(Artifact::iomem);
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
    auto pipeline = open_pipeline(inputs);
    if (!pipeline) return kExitBadInput;
    auto text = pipeline->predict(*artifact);
    if (!text) return fail(text.error());
    // A boot that stops before user space has no artifact to diff against: say why, print none.
    if (const auto stop = boot_stopper(pipeline->analysis().diagnostics)) {
        std::cerr << fmt::format("bootmap: error: the predicted boot never reaches user space, where {} would be read: {}\n  {}: {}: {} [{}]\n",
                                 artifact_name, stop->second, format_location(stop->first.where), severity_name(stop->first.severity),
                                 stop->first.message, stop->first.rule_id);
        return kExitFindings;
    }
    for (const auto& assumed : pipeline->assumptions()) std::cerr << "bootmap: assumed: " << assumed << '\n';
    return deliver(text.value(), output);
}

namespace {

Result<std::uint64_t> parse_size_option(const std::string& name, const std::string& text) {
    const auto n = grammars::memparse(text);
    if (n.consumed != text.size() || n.value == 0)
        return InputError{SourceLocation{name}, fmt::format("expected a size such as 128M or 1G, found '{}'", text), {}};
    return n.value;
}

}  // namespace

int run_kmem(const InputOptions& inputs, const KmemOptions& kmem, const OutputOptions& output) {
    if (int rc = refuse_baseline("kmem", output); rc != kExitClean) return rc;
    AnalysisOptions options;
    options.kmem.hypervisor = !kmem.bare_metal;
    if (!kmem.block_size.empty()) {
        auto b = parse_size_option("--memory-block-size", kmem.block_size);
        if (!b) return fail(b.error());
        if ((b.value() & (b.value() - 1)) != 0)
            return fail(InputError{SourceLocation{"--memory-block-size"}, fmt::format("expected a power of two, found {:#x}", b.value()), {}});
        options.kmem.block_size = b.value();
    }
    auto threshold = parse_size_option("--stranded-threshold", kmem.stranded_threshold);
    if (!threshold) return fail(threshold.error());
    options.kmem.stranded_threshold = threshold.value();
    // One code path with analyze: the devices and their audits are the analysis's (a dump's, a
    // listing's, pmem given to kmem, ranges given here).
    InputOptions with_ranges = inputs;
    with_ranges.dax_ranges = kmem.ranges;
    auto pipeline = open_pipeline(with_ranges, options);
    if (!pipeline) return kExitBadInput;
    std::vector<KmemDeviceAudit> audits = pipeline->analysis().kmem;
    if (audits.empty()) {
        std::cerr << "bootmap: error: no dax device to audit: give --range START-END, an iomem dump or a boot capture with daxN.M devices, a "
                     "daxctl listing, pmem with --dax-kmem or a libvirt domain with NVDIMMs\n";
        return kExitBadInput;
    }
    AnalysisReport report = table_report(pipeline->machine());
    for (const auto& d : pipeline->analysis().diagnostics)
        if (d.rule_id.rfind("kmem-", 0) == 0) report.diagnostics.push_back(d);
    report.kmem = std::move(audits);
    return deliver_table(report, output, format_kmem_table(report.kmem).substr(1) + "\n", JsonOptions{true});
}

int run_dmem(const InputOptions& inputs, const std::string& dmem_value, const OutputOptions& output) {
    if (int rc = refuse_baseline("dmem", output); rc != kExitClean) return rc;
    std::string log;
    auto loaded = load_machine(inputs, log);
    std::cerr << log;
    if (!loaded) return fail(loaded.error());
    Machine machine = std::move(loaded).value();
    machine.profile.dmem_config = true;  // the command exists to model a kernel carrying the patches
    if (!machine.firmware_e820)
        return fail(InputError{SourceLocation{"dmem"}, "expected the firmware map (--e820 or --dmesg) to replay dmem= on", {}});
    // The value given here is appended to whatever command line was given, as the last dmem= wins.
    if (!dmem_value.empty()) {
        KernelCommandLine c = machine.cmdline.value_or(KernelCommandLine{"--cmdline", "", {}, {}, {}, {}});
        c.text += (c.text.empty() ? "" : " ") + std::string("dmem=") + dmem_value;
        c.params = grammars::tokenize_cmdline(c.text).params;
        c.positions.clear();
        machine.cmdline = std::move(c);
    }
    if (!machine.cmdline) return fail(InputError{SourceLocation{"dmem"}, "expected a dmem= value (bootmap dmem VALUE, or --cmdline)", {}});
    Pipeline pipeline(std::move(machine));
    // The kernel's lines are the prediction's: the parameter's own (accepted or refused), then the carve.
    const auto lines = pipeline.predict(Artifact::dmem);
    if (!lines) return fail(lines.error());
    AnalysisReport report = table_report(pipeline.machine());
    // The analysis's findings about dmem: the carve's, or why every value was refused.
    for (const auto& d : pipeline.analysis().diagnostics)
        if (d.rule_id.starts_with("dmem-") || d.message.starts_with("dmem")) report.diagnostics.push_back(d);
    std::string table;
    const BootReplay& replay = pipeline.replay();
    if (effective_dmem(*pipeline.machine().cmdline, pipeline.machine().profile) && replay.x86 && replay.x86->dmem) {
        report.dmem = replay.x86->dmem;
        table = format_dmem_table(*report.dmem) + "\n";
    } else {
        table = "dmem: no dmem= value is accepted: the kernel reserves nothing for dmem\n\n";
    }
    table += "Predicted kernel lines:\n";
    std::istringstream kernel_lines(lines.value());
    for (std::string line; std::getline(kernel_lines, line);) table += "  " + line + "\n";
    return deliver_table(report, output, table + "\n");
}

namespace {

// A layout file for `diff`: an iomem dump, or an e820 map (a boot log, a memmap listing or directory).
Result<std::pair<std::string, Layout>> load_layout(const std::string& path, bool predicted_only) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        auto table = read_e820_directory(path);
        if (!table) return table.error();
        return std::pair{std::string("e820"), layout_items(table.value())};
    }
    auto file = load_text_file(path);
    if (!file) return file.error();
    const auto kind = detect_input_kind(file.value().contents);
    if (kind == InputKind::iomem) {
        auto tree = read_iomem(path, file.value().contents);
        if (!tree) return tree.error();
        std::string().swap(file.value().contents);  // the tree holds what the layout needs; the other dump is read next
        return std::pair{std::string("iomem"), predicted_only ? predicted_layout_items(tree.value()) : layout_items(tree.value())};
    }
    if (kind == InputKind::dmesg) {
        // A boot log stands for the map that boot ended with: its firmware map after its own
        // command line and UEFI's edits, as /proc/iomem showed them.
        InputOptions options;
        options.dmesg = path;
        std::string log;
        auto machine = load_machine(options, log);
        if (!machine) return machine.error();
        Machine& m = machine.value();
        if (!m.firmware_e820) return InputError{SourceLocation{path, 1, 1, std::nullopt}, "expected a boot log with its BIOS-e820 map", {}};
        if (!m.cmdline && m.boot_log && m.boot_log->command_line)
            if (auto c = read_cmdline(path, *m.boot_log->command_line)) m.cmdline = std::move(c).value();
        Pipeline pipeline(std::move(m));
        const BootReplay& boot = pipeline.replay();
        if (!boot.x86) return InputError{SourceLocation{path, 1, 1, std::nullopt}, "expected the boot log of an x86 machine (its e820 map)", {}};
        if (boot.x86->e820.invalid_user_map) return std::pair{std::string("e820"), layout_items(*pipeline.machine().firmware_e820)};
        const Machine& booted = pipeline.machine();
        return std::pair{std::string("e820"), layout_items(*boot.x86, booted.cmdline ? &*booted.cmdline : nullptr, booted.profile)};
    }
    if (kind == InputKind::e820_memmap) {
        auto table = read_e820_text(path, file.value().contents);
        if (!table) return table.error();
        return std::pair{std::string("e820"), layout_items(table.value())};
    }
    return InputError{SourceLocation{path, 1, 1, std::nullopt}, "expected a /proc/iomem dump or an e820 map (a boot log, /sys/firmware/memmap)",
                      "bootmap diff compares two layouts of the same kind"};
}

// A boot's capture (bootmap capture) stands for its /proc/iomem.
std::string layout_file(const std::string& path) {
    std::error_code ec;
    const auto iomem = std::filesystem::path(path) / "iomem.txt";
    return std::filesystem::is_directory(path, ec) && std::filesystem::is_regular_file(iomem, ec) ? iomem.string() : path;
}

}  // namespace

int run_diff(const std::string& before_arg, const std::string& after_arg, const OutputOptions& output, bool predicted) {
    const std::string before = layout_file(before_arg), after = layout_file(after_arg);
    auto a = load_layout(before, predicted);
    if (!a) return fail(a.error());
    auto b = load_layout(after, predicted);
    if (!b) return fail(b.error());
    if (a.value().first != b.value().first)
        return fail(InputError{SourceLocation{after}, fmt::format("expected a layout of the same kind as {} ({}), found {}", before, a.value().first, b.value().first),
                               "compare an iomem dump with an iomem dump, an e820 map with an e820 map"});
    if (predicted) keep_predictable_reservations(a.value().second, b.value().second);
    const auto changes = diff_layouts(a.value().second, b.value().second);
    const std::string text = output.format == "json" ? render_layout_diff_json(changes, before, after) : render_layout_diff_text(changes, before, after);
    if (int rc = deliver(text, output); rc != kExitClean) return rc;
    return changes.empty() ? kExitClean : kExitFindings;
}

int run_rules(bool markdown) {
    if (markdown) {
        std::cout << rule_catalogue_markdown();
        return kExitClean;
    }
    for (const auto& rule : rule_catalogue())
        std::cout << fmt::format("{:<30} {:<8} {}\n", rule.id, severity_name(rule.severity), rule.summary);
    return kExitClean;
}

int run_gates(const std::string& kernel, bool markdown) {
    if (markdown) {
        std::cout << version_gates_markdown();
        return kExitClean;
    }
    if (kernel.empty()) {
        std::cout << version_gates_text();
        return kExitClean;
    }
    const auto version = parse_kernel_version(kernel);
    if (!version) {
        std::cerr << fmt::format("bootmap: error: --kernel: expected a kernel version such as 6.12.118 or 6.1.0-56-amd64, found '{}'\n", kernel);
        return kExitBadInput;
    }
    std::cout << fmt::format("kernel {}: yes = has the behaviour, no = does not\n", format_kernel_version(*version)) << version_gates_text(version);
    return kExitClean;
}

int run_explain(const std::string& id) {
    const auto rule = find_rule(id);
    const auto doc = rule_doc(id);
    if (!rule || !doc) {
        std::cerr << fmt::format("bootmap: error: no rule is called '{}'\n  note: `bootmap rules` lists every rule ID\n", id);
        return kExitBadInput;
    }
    std::cout << fmt::format("{} (default severity: {})\n{}\n\n{}", rule->id, severity_name(rule->severity), rule->summary, *doc);
    return kExitClean;
}

}  // namespace bootmap::cli
