// bootmap's command line: wires options to commands, reads the settings file, runs the command.

#include "cli/app.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/batch.hpp"
#include "cli/capture_command.hpp"
#include "cli/config_errors.hpp"
#include "cli/commands.hpp"
#include "predict/artifact.hpp"

namespace {

std::optional<std::filesystem::path> find_config_upward(std::filesystem::path dir) {
    std::error_code ec;
    for (;;) {
        const auto candidate = dir / ".bootmap.toml";
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
        if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
        dir = dir.parent_path();
    }
}

// The command being run: the first argument naming one (options such as --config may come first).
std::string chosen_command(int argc, char** argv) {
    static constexpr std::string_view kCommands[] = {"lint", "analyze", "iomem", "predict", "kmem", "dmem", "dt", "diff", "explain", "rules", "map", "capture", "gates"};
    for (int i = 1; i < argc; ++i)
        for (const auto name : kCommands)
            if (name == argv[i]) return std::string(name);
    return {};
}

std::string predict_help() {
    std::string text =
        "Print one predicted kernel artifact in the kernel's own format (no timestamps), to diff against the real one after "
        "reboot. What the kernel allocates for itself early in boot (its image, page tables, per-CPU areas, log buffer) "
        "cannot be known in advance and is left out.\nArtifacts:";
    for (const auto& info : bootmap::artifact_catalogue()) text += fmt::format("\n  {:<18} {} (needs {})", info.name, info.what, info.needs);
    return text;
}

void add_output_options(CLI::App& command, bootmap::cli::OutputOptions& output) {
    command.add_option("--format", output.format, "Report format: text, json, sarif (SARIF 2.1.0) or junit (JUnit XML)")
        ->check(CLI::IsMember({"text", "json", "sarif", "junit"}))
        ->capture_default_str();
    command.add_option("-o,--output", output.output, "Write the report to FILE (atomically) instead of stdout");
    command.add_flag("--no-tree", output.no_tree, "Text report: leave out the resource tree");
    command.add_option("-W", output.warnings, "-W no-RULE turns a rule off, -W RULE back on");
    command.add_option("-E", output.errors, "Report RULE as an error");
    command.add_flag("--werror", output.werror, "Report every warning as an error");
    command.add_option("--min-severity", output.min_severity, "Report only findings at least this severe: note, warning or error")
        ->check(CLI::IsMember({"note", "warning", "error"}))
        ->capture_default_str();
    command.add_option("--color", output.color, "Colour the text report: auto (a terminal, unless NO_COLOR is set), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    command.add_flag("-q,--quiet", output.quiet, "Text report: the findings alone, without the summary line or what could not be checked");
    command.add_option("--baseline", output.baseline, "Report (and fail on) only the findings this baseline file does not accept")->type_name("FILE");
    command.add_option("--write-baseline", output.write_baseline, "Accept every current finding: write them to FILE as a baseline, report nothing")
        ->type_name("FILE");
}

// Everything the command line sets, for the one command that runs.
struct Invocation {
    bootmap::cli::InputOptions inputs;
    bootmap::cli::OutputOptions output;
    bootmap::cli::BatchOptions batch;
    bootmap::cli::KmemOptions kmem;
    std::string iomem_file;
    bool emit = false;
    std::string artifact;
    std::string dmem_value;
    std::string dt_file;
    std::string diff_before, diff_after;
    bool diff_predicted = false;
    std::string explain_rule;
    bool rules_markdown = false;
    std::string gates_kernel;
    bool gates_markdown = false;
    std::string capture_dir = "bootmap-capture", capture_tar;
};

using bootmap::cli::add_input_options;

CLI::App* add_lint_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("lint", "Every analysis the inputs allow, findings only: for CI (exit 0 clean, 1 errors, 2 bad input)");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    add_input_options(command, v.inputs);
    add_output_options(command, v.output);
    command.add_option("--batch", v.batch.directory,
                     "Lint a fleet: every file (one input) or directory (one machine's inputs) in DIR is a machine; one JSON line per machine")
        ->type_name("DIR");
    command.add_option("-j,--jobs", v.batch.jobs, "Machines linted in parallel with --batch (default: one per core)");
    command.footer("Examples:\n  bootmap lint --cmdline-from /etc/default/grub --dts board.dts -I include/ -E dt-unit-address-mismatch --format sarif -o bootmap.sarif\n"
                 "  bootmap lint --batch fleet/ -o fleet.jsonl     (fleet/host1/{iomem,cmdline,dmesg}, fleet/board.dtb, ...)");
    return command_ptr;
}

CLI::App* add_analyze_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("analyze", "Analyse inputs (or this machine) and report the layout and findings");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    add_input_options(command, v.inputs);
    add_output_options(command, v.output);
    return command_ptr;
}

CLI::App* add_map_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("map", "Draw the memory map: an HTML page (or SVG) of the address space to scale, regions by kind, NUMA nodes, findings marked");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    add_input_options(command, v.inputs);
    v.output.format = "html";
    command.add_option("--format", v.output.format, "html (a self-contained page with a log/linear toggle and hover details) or svg")
        ->check(CLI::IsMember({"html", "svg"}))
        ->capture_default_str();
    command.add_option("--scale", v.output.scale, "log (small regions stay visible) or linear (true proportions); the page can switch")
        ->check(CLI::IsMember({"log", "linear"}))
        ->capture_default_str();
    command.add_option("-o,--output", v.output.output, "Write to FILE (atomically) instead of stdout");
    command.add_option("-W", v.output.warnings, "-W no-RULE turns a rule off, -W RULE back on");
    command.add_option("-E", v.output.errors, "Report RULE as an error");
    command.add_flag("--werror", v.output.werror, "Report every warning as an error");
    command.footer("Examples:\n  bootmap map --dmesg boot.log --cmdline 'memmap=2G!4G dmem=1G' -o map.html\n"
                    "  bootmap map board.dts -I include/ --format svg -o board.svg\n  bootmap map /proc/iomem -o now.html");
    return command_ptr;
}

CLI::App* add_iomem_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("iomem", "Read a /proc/iomem dump; with --emit print it back in the kernel's exact format");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("file", v.iomem_file, "The /proc/iomem dump")->required();
    command.add_flag("--emit", v.emit, "Print the parsed tree in /proc/iomem format");
    command.add_option("--kernel", v.inputs.kernel, "Kernel version profile")->capture_default_str();
    command.add_option("--arch", v.inputs.arch, "Architecture")->capture_default_str();
    add_output_options(command, v.output);
    return command_ptr;
}

CLI::App* add_predict_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("predict", "Predict a kernel artifact");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.footer(predict_help());
    add_input_options(command, v.inputs);
    command.add_option("--emit", v.artifact, "The artifact to print")->required();
    command.add_option("-o,--output", v.output.output, "Write to FILE (atomically) instead of stdout");
    return command_ptr;
}

CLI::App* add_kmem_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("kmem", "Audit DAX kmem: how much of each dax device becomes RAM, and what memory-block alignment strands");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    add_input_options(command, v.inputs);
    command.add_option("--range", v.kmem.ranges, "A dax range START-END (hex, inclusive end), e.g. 0x240400000-0x2bfffffff");
    command.add_option("--memory-block-size", v.kmem.block_size, "Memory block size (e.g. 128M, 1G); default: the profile's rule");
    command.add_flag("--bare-metal", v.kmem.bare_metal, "x86_64 above 64 GiB: the machine is not a VM (2 GiB blocks)");
    command.add_option("--stranded-threshold", v.kmem.stranded_threshold, "Warn when a device strands at least this much")->capture_default_str();
    add_output_options(command, v.output);
    command.footer("Example: bootmap kmem --range 0x240400000-0x33fdfffff --memory-block-size 1G");
    return command_ptr;
}

CLI::App* add_dmem_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("dmem", "Replay dmem= (the never-merged 2020 RFC) per NUMA node: what each node gets and what the kernel prints");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("value", v.dmem_value, "The dmem= value, e.g. 4G:1G, !8G or 2G@0x100000000 (appended to --cmdline)");
    add_input_options(command, v.inputs);
    add_output_options(command, v.output);
    command.footer("Example: bootmap dmem 4G --dmesg boot.log --srat SRAT");
    return command_ptr;
}

CLI::App* add_dt_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("dt", "Analyse a device tree (DTS or DTB): memory, reserved regions, where each lands, findings with source lines");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("file", v.dt_file, "The .dts or .dtb")->required();
    add_input_options(command, v.inputs);
    add_output_options(command, v.output);
    command.footer("Example: bootmap dt board.dts -I include/ --cmdline 'cma=64M'");
    return command_ptr;
}

CLI::App* add_diff_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("diff", "What moved, appeared, vanished or changed size between two iomem dumps or two e820 maps (exit 1 when they differ)");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("before", v.diff_before, "The first layout (e.g. bootmap predict --emit iomem > predicted.iomem), or a capture directory")
        ->required();
    command.add_option("after", v.diff_after, "The second layout (e.g. /proc/iomem after the reboot), or a capture directory (bootmap capture)")
        ->required();
    command.add_option("--format", v.output.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    command.add_option("-o,--output", v.output.output, "Write to FILE (atomically) instead of stdout");
    command.add_flag("--predicted", v.diff_predicted,
                     "Compare only what `predict --emit iomem` models (e820-kind entries at any depth, the Crash kernel and reserved children of "
                     "System RAM): a perfect prediction diffs empty against the real /proc/iomem");
    command.footer("Example: bootmap predict --dmesg boot.log --cmdline 'crashkernel=256M' --emit iomem > predicted.iomem && bootmap diff --predicted predicted.iomem /proc/iomem");
    return command_ptr;
}

CLI::App* add_explain_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("explain", "Explain a rule: what it means, the kernel behaviour behind it, an example, the fix");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("rule", v.explain_rule, "The rule ID, e.g. dt-rmem-overlap")->required();
    return command_ptr;
}

CLI::App* add_gates_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("gates", "List where modelled kernel behaviour changes between versions, with the evidence; with --kernel, "
                                              "which of those changes that kernel has");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("--kernel", v.gates_kernel, "A kernel version: 6.12.5, 6.12.118+deb12-amd64, a uname -r string");
    command.add_flag("--markdown", v.gates_markdown, "Print the table as Markdown (README's table is this output)");
    command.footer("Example: bootmap gates --kernel 6.12.5");
    return command_ptr;
}

CLI::App* add_capture_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command_ptr = app.add_subcommand("capture", "Save this machine's boot state (log, command line, iomem, firmware map, SRAT, DT, memblock, zones) "
                                                  "into a directory for --boot DIR; a manifest says what could not be read and why");
    if (!wanted) return command_ptr;
    CLI::App& command = *command_ptr;
    command.add_option("dir", v.capture_dir, "The directory to create (must be new or empty)")->capture_default_str();
    command.add_option("--tar", v.capture_tar, "Also pack the directory into this tar file (to attach to a ticket)")->type_name("FILE");
    command.footer("Example: sudo bootmap capture now/ && bootmap predict --boot now/ --cmdline \"$(cat /proc/cmdline) crashkernel=256M\" --emit iomem");
    return command_ptr;
}

CLI::App* add_rules_command(CLI::App& app, Invocation& v, bool wanted) {
    CLI::App* command = app.add_subcommand("rules", "List every rule with its ID and default severity");
    if (wanted) command->add_flag("--markdown", v.rules_markdown, "Print the catalogue as Markdown tables by family (README's rule tables are this output)");
    return command;
}

// The subcommands: the one being run with its options, the others not at all (null), since setting
// them up costs more than a small run itself (`bootmap lint board.dtb` runs once per file in CI) —
// unless the top-level help lists them: `bootmap --help`, or no command given. `bootmap COMMAND
// --help` shows that command's options.
struct Commands {
    CLI::App *lint, *analyze, *map, *iomem, *predict, *kmem, *dmem, *dt, *diff, *explain, *rules, *gates, *capture;
};

Commands add_commands(CLI::App& app, Invocation& v, const std::string& chosen, bool listing) {
    using Adder = CLI::App* (*)(CLI::App&, Invocation&, bool);
    const auto add = [&](std::string_view name, Adder adder) -> CLI::App* {
        if (chosen == name) return adder(app, v, true);
        return (listing || chosen.empty()) ? adder(app, v, false) : nullptr;
    };
    return Commands{add("lint", add_lint_command),       add("analyze", add_analyze_command), add("map", add_map_command),
                    add("iomem", add_iomem_command),     add("predict", add_predict_command), add("kmem", add_kmem_command),
                    add("dmem", add_dmem_command),       add("dt", add_dt_command),           add("diff", add_diff_command),
                    add("explain", add_explain_command), add("rules", add_rules_command),     add("gates", add_gates_command),
                    add("capture", add_capture_command)};
}

bool asks_for_help(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") return true;
    }
    return false;
}

// Parses the arguments; on help, version or an error, the exit code (a settings-file error is
// reported at its line, as any input error).
std::optional<int> parse_arguments(CLI::App& app, int argc, char** argv, const std::optional<std::filesystem::path>& config) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string config_path = config ? config->string() : std::string();
        for (int i = 1; i + 1 < argc; ++i)
            if (std::string_view(argv[i]) == "--config") config_path = argv[i + 1];
        if (!config_path.empty()) {
            std::ifstream in(config_path);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (const auto located = bootmap::cli::locate_config_error(config_path, text, e.what(), std::vector<std::string>(argv + 1, argv + argc))) {
                std::cerr << bootmap::format_input_error(*located) << '\n';
                return bootmap::cli::kExitBadInput;
            }
        }
        app.exit(e);
        return bootmap::cli::kExitBadInput;
    }
    return std::nullopt;
}

bool ran(const CLI::App* command) { return command != nullptr && command->parsed(); }

int run(const Commands& c, Invocation& v) {
    using namespace bootmap::cli;
    if (ran(c.iomem)) return run_iomem(v.iomem_file, v.emit, v.inputs, v.output);
    if (ran(c.predict)) return run_predict(v.inputs, v.artifact, v.output);
    if (ran(c.rules)) return run_rules(v.rules_markdown);
    if (ran(c.gates)) return run_gates(v.gates_kernel, v.gates_markdown);
    if (ran(c.capture)) return run_capture(v.capture_dir, v.capture_tar);
    if (ran(c.diff)) return run_diff(v.diff_before, v.diff_after, v.output, v.diff_predicted);
    if (ran(c.explain)) return run_explain(v.explain_rule);
    if (ran(c.kmem)) return run_kmem(v.inputs, v.kmem, v.output);
    if (ran(c.dmem)) return run_dmem(v.inputs, v.dmem_value, v.output);
    if (ran(c.lint)) {
        v.output.findings_only = true;
        if (!v.batch.directory.empty()) return run_lint_batch(v.inputs, v.output, v.batch);
        return run_analyze(v.inputs, v.output);
    }
    if (ran(c.dt)) {
        // The command says what the file is: a source by its name, a blob otherwise (so a damaged
        // blob is refused by the blob reader, with its offset, rather than as an unknown input).
        const bool source = v.dt_file.size() > 4 && (v.dt_file.ends_with(".dts") || v.dt_file.ends_with(".dtsi"));
        (source ? v.inputs.dts : v.inputs.dtb) = v.dt_file;
    }
    return run_analyze(v.inputs, v.output);
}

}  // namespace

namespace bootmap::cli {
namespace {

// The interface every run and every parse builds; the Invocation receives what the arguments set.
Commands build_app(CLI::App& app, Invocation& invocation, int argc, char** argv, std::optional<std::filesystem::path>& config) {
    app.set_version_flag("--version", [] { return "bootmap 0.1.0\n" + bootmap::kernel_profiles_summary(); });
    // Inherited by every command: --config may follow the command, and config keys of other
    // commands (which have no options set up) are kept aside; a key in the running command's
    // section that is none of its options is refused (a typo) when the command passes it up.
    app.fallthrough();
    app.allow_config_extras(CLI::config_extras_mode::capture);
    // A project's settings: .bootmap.toml here or in the nearest parent directory, one section per
    // command with the command's long option names as keys ([lint] werror = true, E = ["dt-rmem-overlap"]).
    config = find_config_upward(std::filesystem::current_path());
    app.set_config("--config", config ? config->string() : "", "Read options from this TOML file (default: the nearest .bootmap.toml)");
    return add_commands(app, invocation, chosen_command(argc, argv), asks_for_help(argc, argv));
}

constexpr const char* kDescription = "bootmap: static analysis of Linux boot memory layouts.\nWith no command, analyses the machine it runs on.";

}  // namespace

std::optional<int> parse_bootmap_arguments(int argc, char** argv) {
    CLI::App app{kDescription};
    Invocation invocation;
    std::optional<std::filesystem::path> config;
    build_app(app, invocation, argc, argv, config);
    return parse_arguments(app, argc, argv, config);
}

int run_bootmap(int argc, char** argv) {
    CLI::App app{kDescription};
    Invocation invocation;
    std::optional<std::filesystem::path> config;
    const Commands commands = build_app(app, invocation, argc, argv, config);
    if (const auto exit_code = parse_arguments(app, argc, argv, config)) return *exit_code;
    return run(commands, invocation);
}

}  // namespace bootmap::cli
