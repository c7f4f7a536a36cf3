// bootmap: predicts and checks Linux boot memory layouts. This file only wires options to commands.

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
    command.add_option("--baseline", output.baseline, "Report (and fail on) only the findings this baseline file does not accept")->type_name("FILE");
    command.add_option("--write-baseline", output.write_baseline, "Accept every current finding: write them to FILE as a baseline, report nothing")
        ->type_name("FILE");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace bootmap::cli;
    CLI::App app{"bootmap: static analysis of Linux boot memory layouts.\nWith no command, analyses the machine it runs on."};
    app.set_version_flag("--version", "bootmap 0.1.0\n" + bootmap::kernel_profiles_summary());

    InputOptions inputs;
    OutputOptions output;
    // Only the command being run gets its options: setting up every command's costs more than a
    // small run itself (`bootmap lint board.dtb` runs once per file in CI). `bootmap --help` lists
    // the commands; `bootmap COMMAND --help` shows that command's options.
    const std::string chosen = chosen_command(argc, argv);
    const auto wanted = [&chosen](std::string_view name) { return chosen == name; };
    // Inherited by every command: --config may follow the command, and config keys of other
    // commands (which have no options set up) are kept aside; a key in the running command's
    // section that is none of its options is refused (a typo) when the command passes it up.
    app.fallthrough();
    app.allow_config_extras(CLI::config_extras_mode::capture);

    // A project's settings: .bootmap.toml here or in the nearest parent directory, one section per
    // command with the command's long option names as keys ([lint] werror = true, E = ["dt-rmem-overlap"]).
    const auto config = find_config_upward(std::filesystem::current_path());
    app.set_config("--config", config ? config->string() : "", "Read options from this TOML file (default: the nearest .bootmap.toml)");

    BatchOptions batch;
    auto* lint = app.add_subcommand("lint", "Every analysis the inputs allow, findings only: for CI (exit 0 clean, 1 errors, 2 bad input)");
    if (wanted("lint")) {
        add_input_options(*lint, inputs);
        add_output_options(*lint, output);
        lint->add_option("--batch", batch.directory,
                         "Lint a fleet: every file (one input) or directory (one machine's inputs) in DIR is a machine; one JSON line per machine")
            ->type_name("DIR");
        lint->add_option("-j,--jobs", batch.jobs, "Machines linted in parallel with --batch (default: one per core)");
        lint->footer("Examples:\n  bootmap lint --cmdline-from /etc/default/grub --dts board.dts -I include/ -E dt-unit-address-mismatch --format sarif -o bootmap.sarif\n"
                     "  bootmap lint --batch fleet/ -o fleet.jsonl     (fleet/host1/{iomem,cmdline,dmesg}, fleet/board.dtb, ...)");
    }

    auto* analyze = app.add_subcommand("analyze", "Analyse inputs (or this machine) and report the layout and findings");
    if (wanted("analyze")) {
        add_input_options(*analyze, inputs);
        add_output_options(*analyze, output);
    }

    auto* map_cmd = app.add_subcommand("map", "Draw the memory map: an HTML page (or SVG) of the address space to scale, regions by kind, NUMA nodes, findings marked");
    if (wanted("map")) {
        add_input_options(*map_cmd, inputs);
        output.format = "html";
        map_cmd->add_option("--format", output.format, "html (a self-contained page with a log/linear toggle and hover details) or svg")
            ->check(CLI::IsMember({"html", "svg"}))
            ->capture_default_str();
        map_cmd->add_option("--scale", output.scale, "log (small regions stay visible) or linear (true proportions); the page can switch")
            ->check(CLI::IsMember({"log", "linear"}))
            ->capture_default_str();
        map_cmd->add_option("-o,--output", output.output, "Write to FILE (atomically) instead of stdout");
        map_cmd->add_option("-W", output.warnings, "-W no-RULE turns a rule off, -W RULE back on");
        map_cmd->add_option("-E", output.errors, "Report RULE as an error");
        map_cmd->add_flag("--werror", output.werror, "Report every warning as an error");
        map_cmd->footer("Examples:\n  bootmap map --dmesg boot.log --cmdline 'memmap=2G!4G dmem=1G' -o map.html\n"
                        "  bootmap map board.dts -I include/ --format svg -o board.svg\n  bootmap map /proc/iomem -o now.html");
    }

    std::string iomem_file;
    bool emit = false;
    auto* iomem = app.add_subcommand("iomem", "Read a /proc/iomem dump; with --emit print it back in the kernel's exact format");
    if (wanted("iomem")) {
        iomem->add_option("file", iomem_file, "The /proc/iomem dump")->required();
        iomem->add_flag("--emit", emit, "Print the parsed tree in /proc/iomem format");
        iomem->add_option("--kernel", inputs.kernel, "Kernel version profile")->capture_default_str();
        iomem->add_option("--arch", inputs.arch, "Architecture")->capture_default_str();
        add_output_options(*iomem, output);
    }

    std::string artifact;
    auto* predict = app.add_subcommand("predict", "Predict a kernel artifact");
    if (wanted("predict")) {
        predict->footer(predict_help());
        add_input_options(*predict, inputs);
        predict->add_option("--emit", artifact, "The artifact to print")->required();
        predict->add_option("-o,--output", output.output, "Write to FILE (atomically) instead of stdout");
    }

    KmemOptions kmem;
    auto* kmem_cmd = app.add_subcommand("kmem", "Audit DAX kmem: how much of each dax device becomes RAM, and what memory-block alignment strands");
    if (wanted("kmem")) {
        add_input_options(*kmem_cmd, inputs);
        kmem_cmd->add_option("--range", kmem.ranges, "A dax range START-END (hex, inclusive end), e.g. 0x240400000-0x2bfffffff");
        kmem_cmd->add_option("--memory-block-size", kmem.block_size, "Memory block size (e.g. 128M, 1G); default: the profile's rule");
        kmem_cmd->add_flag("--bare-metal", kmem.bare_metal, "x86_64 above 64 GiB: the machine is not a VM (2 GiB blocks)");
        kmem_cmd->add_option("--stranded-threshold", kmem.stranded_threshold, "Warn when a device strands at least this much")->capture_default_str();
        add_output_options(*kmem_cmd, output);
        kmem_cmd->footer("Example: bootmap kmem --range 0x240400000-0x33fdfffff --memory-block-size 1G");
    }

    std::string dmem_value;
    auto* dmem_cmd = app.add_subcommand("dmem", "Replay dmem= (the never-merged RFC, seed 000) per NUMA node: what each node gets and what the kernel prints");
    if (wanted("dmem")) {
        dmem_cmd->add_option("value", dmem_value, "The dmem= value, e.g. 4G:1G, !8G or 2G@0x100000000 (appended to --cmdline)");
        add_input_options(*dmem_cmd, inputs);
        add_output_options(*dmem_cmd, output);
        dmem_cmd->footer("Example: bootmap dmem 4G --dmesg boot.log --srat SRAT");
    }

    std::string dt_file;
    auto* dt_cmd = app.add_subcommand("dt", "Analyse a device tree (DTS or DTB): memory, reserved regions, where each lands, findings with source lines");
    if (wanted("dt")) {
        dt_cmd->add_option("file", dt_file, "The .dts or .dtb")->required();
        add_input_options(*dt_cmd, inputs);
        add_output_options(*dt_cmd, output);
        dt_cmd->footer("Example: bootmap dt board.dts -I include/ --cmdline 'cma=64M'");
    }

    std::string diff_before, diff_after;
    auto* diff_cmd = app.add_subcommand("diff", "What moved, appeared, vanished or changed size between two iomem dumps or two e820 maps (exit 1 when they differ)");
    if (wanted("diff")) {
        diff_cmd->add_option("before", diff_before, "The first layout (e.g. bootmap predict --emit iomem > predicted.iomem), or a capture directory")
            ->required();
        diff_cmd->add_option("after", diff_after, "The second layout (e.g. /proc/iomem after the reboot), or a capture directory (bootmap capture)")
            ->required();
        diff_cmd->add_option("--format", output.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
        diff_cmd->add_option("-o,--output", output.output, "Write to FILE (atomically) instead of stdout");
        diff_cmd->footer("Example: bootmap predict --dmesg boot.log --cmdline 'crashkernel=256M' --emit iomem > predicted.iomem && bootmap diff predicted.iomem /proc/iomem");
    }

    std::string explain_rule;
    auto* explain = app.add_subcommand("explain", "Explain a rule: what it means, the kernel behaviour behind it, an example, the fix");
    if (wanted("explain")) {
        explain->add_option("rule", explain_rule, "The rule ID, e.g. dt-rmem-overlap")->required();
    }

    auto* rules = app.add_subcommand("rules", "List every rule with its ID and default severity");
    bool rules_markdown = false;
    rules->add_flag("--markdown", rules_markdown, "Print the catalogue as Markdown tables by family (README's rule tables are this output)");

    std::string gates_kernel;
    bool gates_markdown = false;
    auto* gates = app.add_subcommand("gates", "List where modelled kernel behaviour changes between versions, with the evidence; with --kernel, "
                                              "which of those changes that kernel has");
    if (wanted("gates")) {
        gates->add_option("--kernel", gates_kernel, "A kernel version: 6.12.5, 6.12.118+deb12-amd64, a uname -r string");
        gates->add_flag("--markdown", gates_markdown, "Print the table as Markdown (README's table is this output)");
        gates->footer("Example: bootmap gates --kernel 6.12.5");
    }

    std::string capture_dir = "bootmap-capture", capture_tar;
    auto* capture = app.add_subcommand("capture", "Save this machine's boot state (log, command line, iomem, firmware map, SRAT, DT, memblock, zones) "
                                                  "into a directory for --boot DIR; a manifest says what could not be read and why");
    if (wanted("capture")) {
        capture->add_option("dir", capture_dir, "The directory to create (must be new or empty)")->capture_default_str();
        capture->add_option("--tar", capture_tar, "Also pack the directory into this tar file (to attach to a ticket)")->type_name("FILE");
        capture->footer("Example: sudo bootmap capture now/ && bootmap predict --boot now/ --cmdline \"$(cat /proc/cmdline) crashkernel=256M\" --emit iomem");
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // An error in the settings file is reported at its line, as any input error.
        std::string config_path = config ? config->string() : std::string();
        for (int i = 1; i + 1 < argc; ++i)
            if (std::string_view(argv[i]) == "--config") config_path = argv[i + 1];
        if (!config_path.empty()) {
            std::ifstream in(config_path);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (const auto located = locate_config_error(config_path, text, e.what(), std::vector<std::string>(argv + 1, argv + argc))) {
                std::cerr << bootmap::format_input_error(*located) << '\n';
                return kExitBadInput;
            }
        }
        app.exit(e);
        return kExitBadInput;
    }

    if (*iomem) return run_iomem(iomem_file, emit, inputs, output);
    if (*predict) return run_predict(inputs, artifact, output);
    if (*rules) return run_rules(rules_markdown);
    if (*gates) return run_gates(gates_kernel, gates_markdown);
    if (*capture) return run_capture(capture_dir, capture_tar);
    if (*diff_cmd) return run_diff(diff_before, diff_after, output);
    if (*explain) return run_explain(explain_rule);
    if (*kmem_cmd) return run_kmem(inputs, kmem, output);
    if (*dmem_cmd) return run_dmem(inputs, dmem_value, output);
    if (*lint) {
        output.findings_only = true;
        if (!batch.directory.empty()) return run_lint_batch(inputs, output, batch);
        return run_analyze(inputs, output);
    }
    if (*dt_cmd) {
        // The command says what the file is: a source by its name, a blob otherwise (so a damaged
        // blob is refused by the blob reader, with its offset, rather than as an unknown input).
        const bool source = dt_file.size() > 4 && (dt_file.ends_with(".dts") || dt_file.ends_with(".dtsi"));
        (source ? inputs.dts : inputs.dtb) = dt_file;
        return run_analyze(inputs, output);
    }
    return run_analyze(inputs, output);
}
