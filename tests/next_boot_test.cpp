// "The next boot from this one": a boot's state (a capture directory, --boot) plus the next boot's
// command line must predict what the kernel really did on that next boot. The truth is every pair
// of real boots of one machine under the oracle (SeaBIOS and UEFI firmware): same firmware map and
// SRAT, different command lines. Without a new command line the next boot is the same boot.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <map>

#include "cli/input_options.hpp"
#include "analysis/finding.hpp"
#include "analysis/pipeline.hpp"
#include "kernel/arm64_boot.hpp"
#include "predict/artifact.hpp"
#include "readers/boot_log_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

// Every x86 capture with a log: the SeaBIOS ones, the UEFI ones and Debian 6.12.118's.
std::vector<fs::path> x86_captures() {
    std::vector<fs::path> out;
    for (const char* folder : {"kernel", "kernel-uefi", "kernel-6.12"})
        for (const auto& entry : fs::directory_iterator(test::fixtures() / folder)) {
            const std::string name = entry.path().filename().string();
            if ((name.starts_with("x86-") || name.starts_with("uefi-x86-")) && fs::exists(entry.path() / "dmesg.txt")) out.push_back(entry.path());
        }
    std::sort(out.begin(), out.end());
    return test::non_empty(out, "x86 captures");
}

std::optional<std::string> iomem_of(const fs::path& capture);

// A capture as `bootmap capture` writes it holds the boot's /proc/iomem; the older x86 captures keep
// theirs beside the other iomem fixtures, and it is given back here.
Machine load(const fs::path& boot, const std::optional<std::string>& next_cmdline) {
    cli::InputOptions options;
    options.boot = boot.string();
    if (next_cmdline) options.cmdline = *next_cmdline;
    std::string log;
    auto machine = cli::load_machine(options, log);
    EXPECT_TRUE(machine) << format_input_error(machine.error());
    if (!machine) return Machine{};
    if (!machine.value().booted_iomem)
        if (const auto iomem = iomem_of(boot))
            if (auto tree = read_iomem(boot.string(), *iomem)) machine.value().booted_iomem = std::make_shared<const IomemTree>(std::move(tree).value());
    return std::move(machine).value();
}

std::string predict(const Machine& machine, Artifact artifact) {
    auto text = predict_artifact(machine, artifact);
    if (!text) return "prediction failed: " + format_input_error(text.error());
    return text.value();
}

std::string without_crash_kernel(const std::string& lines) {
    std::istringstream in(lines);
    std::string line, out;
    while (std::getline(in, line))
        if (line.find("Crash kernel") == std::string::npos) out += line + "\n";
    return out;
}

std::string cmdline_of(const fs::path& capture) {
    std::string text = test::slurp(capture / "cmdline.txt");
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// /proc/iomem of the boot: in the capture, or kept beside the other iomem fixtures.
std::optional<std::string> iomem_of(const fs::path& capture) {
    if (fs::exists(capture / "iomem.txt")) return test::slurp(capture / "iomem.txt");
    const fs::path kept = test::fixtures() / "iomem/kernel" / (capture.filename().string() + ".iomem");
    if (fs::exists(kept)) return test::slurp(kept);
    return std::nullopt;
}

// The NUMA lines bootmap predicts on x86: SRAT, node merging, the fake node and numa=fake=.
std::string x86_numa_lines(const std::string& dmesg) {
    return test::log_lines(dmesg, [](std::string_view l) {
        for (const char* prefix : {"SRAT: PXM", "ACPI: SRAT: Node", "NUMA: Node", "Faking node", "Faking a node at", "Fake node size", "numa=fake=",
                                   "No NUMA configuration found", "NUMA turned off", "Not enough memory for each node", "numa_emulation: ",
                                   "NUMA: Warning", "NUMA: Initialized distance table", "NUMA: nodes only cover", "NUMA: no nodes coverage"})
            if (l.starts_with(prefix)) return true;
        return l.starts_with("node ") && l.find("overlaps with node") != std::string_view::npos;
    });
}

// What the kernel did on `truth`'s boot, artifact by artifact, against the prediction. Where the
// prediction states that it assumed the EFI boot-services regions free (a log without efi=debug),
// the crash kernel's place is the assumption's and is left out of the comparison. Returns whether
// that happened.
bool expect_boot_equals(const fs::path& from, const std::optional<std::string>& cmdline, const fs::path& truth) {
    const std::string dmesg = test::slurp(truth / "dmesg.txt");
    const std::string what = from.filename().string() + " -> " + truth.filename().string();
    const Machine machine = load(from, cmdline);
    const auto assumed = prediction_assumptions(machine, replay_boot(machine));
    const bool placement_assumed =
        std::any_of(assumed.begin(), assumed.end(), [](const std::string& a) { return a.find("boot-services regions are not in this log") != std::string::npos; });
    EXPECT_EQ(predict(machine, Artifact::e820), test::user_lines(dmesg)) << what;
    EXPECT_EQ(predict(machine, Artifact::zones), test::kernel_zone_block(dmesg)) << what;
    EXPECT_EQ(predict(machine, Artifact::numa), x86_numa_lines(dmesg)) << what;
    if (const auto iomem = iomem_of(truth)) {
        const std::string predicted = predict(machine, Artifact::iomem), real = test::e820_iomem_lines(*iomem);
        if (placement_assumed) EXPECT_EQ(without_crash_kernel(predicted), without_crash_kernel(real)) << what;
        else EXPECT_EQ(predicted, real) << what;
    }
    return placement_assumed;
}

TEST(NextBoot, WithoutAChangeTheNextBootIsTheCapturedOne) {
    const auto captures = x86_captures();
    ASSERT_GE(captures.size(), 45u);
    std::size_t uefi = 0;
    for (const auto& c : captures) {
        uefi += c.parent_path().filename() == "kernel-uefi";
        expect_boot_equals(c, std::nullopt, c);
    }
    EXPECT_GE(uefi, 13u);
}

// The crash kernel of a UEFI boot lands below the firmware's boot-services regions, which only an
// efi=debug log lists. From such a log the place is exact; from any other the prediction says what
// it assumed.
TEST(NextBoot, UefiCrashKernelIsExactFromAnEfiDebugLogAndAnAssumptionOtherwise) {
    const fs::path dir = test::fixtures() / "kernel-uefi";
    const std::string next = cmdline_of(dir / "uefi-x86-2G-crash256");
    ASSERT_NE(test::e820_iomem_lines(test::slurp(dir / "uefi-x86-2G-crash256/iomem.txt")).find("Crash kernel"), std::string::npos);
    EXPECT_FALSE(expect_boot_equals(dir / "uefi-x86-2G-efidebug", next, dir / "uefi-x86-2G-crash256"));
    EXPECT_FALSE(expect_boot_equals(dir / "uefi-x86-6G-efidebug", cmdline_of(dir / "uefi-x86-6G-crash512"), dir / "uefi-x86-6G-crash512"));
    EXPECT_TRUE(expect_boot_equals(dir / "uefi-x86-2G", next, dir / "uefi-x86-2G-crash256"));
}

// Boots of one machine: the same firmware map (the log's BIOS-e820 block), the same SRAT lines and
// the same firmware edits (UEFI's setup_data).
// The same machine under the same kernel: its next boot runs what this one ran.
std::string machine_identity(const fs::path& capture) {
    const std::string dmesg = test::slurp(capture / "dmesg.txt");
    return test::log_lines(dmesg, [](std::string_view line) {
        return line.starts_with("Linux version ") || line.starts_with("BIOS-e820: ") || line.starts_with("ACPI: SRAT: ") || line.starts_with("SRAT: ") || line.starts_with("e820: update") ||
               line.starts_with("efi: EFI v");
    });
}

TEST(NextBoot, EveryOtherBootOfTheSameMachineIsPredictedFromOne) {
    std::map<std::string, std::vector<fs::path>> machines;
    for (const auto& c : x86_captures()) machines[machine_identity(c)].push_back(c);
    std::size_t pairs = 0, uefi_pairs = 0;
    for (const auto& [identity, boots] : machines)
        for (const auto& from : boots)
            for (const auto& to : boots) {
                if (from == to) continue;
                ++pairs;
                uefi_pairs += from.parent_path().filename() == "kernel-uefi";
                expect_boot_equals(from, cmdline_of(to), to);
            }
    RecordProperty("pairs", static_cast<int>(pairs));
    EXPECT_GE(pairs, 100u);
    EXPECT_GE(uefi_pairs, 2u);  // uefi-x86-2G <-> uefi-x86-memmap-pmem
}

// What the UEFI boot's log says beyond the firmware map, read from the real log.
TEST(NextBoot, UefiLogEditsAreRead) {
    const auto log = read_boot_log("dmesg.txt", test::slurp(test::fixtures() / "kernel-uefi/uefi-x86-12G/dmesg.txt"));
    ASSERT_TRUE(log.kernel_release);
    EXPECT_EQ(*log.kernel_release, "6.1.0-56-amd64");
    EXPECT_EQ(log.efi_firmware.value_or(""), "EFI v2.70 by EDK II");
    ASSERT_EQ(log.setup_data.size(), 1u);  // printed twice (e820_table and the kexec table), one blob
    EXPECT_EQ(log.setup_data[0].begin().value(), 0x7db34018u);
    EXPECT_EQ(log.setup_data[0].last().value(), 0x7db3dc57u);
    ASSERT_EQ(log.efi_reserved.size(), 1u);  // the BGRT image, after the BIOS-area trim
    EXPECT_EQ(log.efi_reserved[0].begin().value(), 0x7dc50000u);
    EXPECT_EQ(log.efi_memmap.size(), 127u);  // efi=debug's map, not the runtime map printed later
    EXPECT_EQ(log.command_line.value_or(""), "console=ttyS0 panic=-1 loglevel=7 nokaslr efi=debug initrd=initrd");
    // A BIOS boot has none of it.
    const auto bios = read_boot_log("dmesg.txt", test::slurp(test::fixtures() / "kernel/x86-2G/dmesg.txt"));
    EXPECT_FALSE(bios.efi_firmware);
    EXPECT_TRUE(bios.setup_data.empty());
    EXPECT_TRUE(bios.efi_reserved.empty());
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// arm64 through UEFI: memory is the EFI map's (recovered from the boot's /proc/iomem), the stub put
// the kernel, initrd and DTB, and the tree the kernel saw has no /memory. From a capture and the
// next boot's command line (and tree), each artifact is held to what the kernel did.
std::vector<fs::path> arm64_uefi_captures() {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "kernel-uefi")) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("uefi-arm64-") || name.starts_with("uefi-acpi-arm64-")) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return test::non_empty(out, "arm64 UEFI captures");
}

std::string arm64_top_level(const std::string& iomem) {
    std::istringstream in(iomem);
    std::string line, out;
    while (std::getline(in, line))
        if (!line.starts_with(" ") && (line.ends_with(" : System RAM") || line.ends_with(" : reserved"))) out += line + "\n";
    return out;
}

std::string arm64_numa_lines(const std::string& dmesg) {
    return test::log_lines(dmesg, [](std::string_view l) { return l.starts_with("NUMA: ") && l.find("NODE_DATA") == std::string_view::npos; });
}

// The kernel's reserved-memory lines, and with `placements` also where it put the default CMA area
// and the crash kernel.
bool rmem_line(std::string_view l, bool placements) {
    const bool rmem = l.starts_with("OF: reserved mem:") || l.starts_with("OF: fdt: Reserved memory:") || l.starts_with("Reserved memory:") ||
                      l.find(" overlaps with ") != std::string_view::npos || l.ends_with(" for elfcorehdr") || l == "OF: fdt: elfcorehdr is overlapped";
    const bool placed = l.starts_with("cma: Reserved") || l.starts_with("crashkernel reserved:") || l.starts_with("cannot allocate crashkernel") ||
                        l.starts_with("crashkernel low memory reserved:");
    return rmem || (placements && placed);
}

std::string rmem_lines(const std::string& dmesg, bool placements = false) {
    return test::log_lines(dmesg, [placements](std::string_view l) { return rmem_line(l, placements); });
}

// The replay's reserved-memory lines with the default CMA area and the crash kernel.
std::string replayed_rmem_lines(const Machine& machine) {
    const auto boot = replay_arm64_boot(machine.device_tree, machine.cmdline ? &*machine.cmdline : nullptr, machine.profile, machine.placement);
    std::string placed;
    for (const auto& line : boot.log)
        if (rmem_line(line, true)) placed += line + "\n";
    return placed;
}

// The ranges of a /sys/kernel/debug/memblock file: "   0: 0x...:..0x...".
std::vector<std::pair<std::uint64_t, std::uint64_t>> memblock_spans(const std::string& text) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto at = line.find("0x"), dots = line.find("..0x");
        if (at == std::string::npos || dots == std::string::npos) continue;
        out.emplace_back(std::stoull(line.substr(at + 2, dots - at - 2), nullptr, 16), std::stoull(line.substr(dots + 4, 16), nullptr, 16));
    }
    return out;
}

void expect_arm64_boot_equals(const fs::path& from, const std::optional<std::string>& cmdline, const std::optional<fs::path>& dtb, const fs::path& truth) {
    cli::InputOptions options;
    options.boot = from.string();
    if (cmdline) options.cmdline = *cmdline;
    if (dtb) options.dtb = dtb->string();
    std::string log;
    auto loaded = cli::load_machine(options, log);
    ASSERT_TRUE(loaded) << format_input_error(loaded.error());
    const Machine& machine = loaded.value();
    const std::string what = from.filename().string() + " -> " + truth.filename().string();
    const std::string dmesg = test::slurp(truth / "dmesg.txt");
    EXPECT_EQ(predict(machine, Artifact::memblock_memory), test::slurp(truth / "memblock-memory.txt")) << what;
    EXPECT_EQ(predict(machine, Artifact::zones), test::kernel_zone_block(dmesg)) << what;
    EXPECT_EQ(predict(machine, Artifact::numa), arm64_numa_lines(dmesg)) << what;
    EXPECT_EQ(arm64_top_level(predict(machine, Artifact::iomem)), arm64_top_level(test::slurp(truth / "iomem.txt"))) << what;
    // The reserved-memory lines, the default CMA area and the crash kernel, in the kernel's order.
    EXPECT_EQ(replayed_rmem_lines(machine), rmem_lines(dmesg, true)) << what;
    // Every lasting reservation predicted (the tree's blob and the stub's memory map below it
    // included) is held by the kernel after boot, ending where the kernel's ends or where an
    // allocation of its own, not predicted, joins it.
    const auto real = memblock_spans(test::slurp(truth / "memblock-reserved.txt"));
    for (const auto& [first, last] : memblock_spans(predict(machine, Artifact::memblock_reserved)))
        EXPECT_TRUE(std::any_of(real.begin(), real.end(), [&](const auto& r) { return r.first <= first && last <= r.second; }))
            << what << ": predicted reserved " << std::hex << first << ".." << last;
}

TEST(NextBootArm64, EveryUefiCaptureIsPredictedFromItself) {
    const auto captures = arm64_uefi_captures();
    ASSERT_GE(captures.size(), 9u);
    for (const auto& c : captures) expect_arm64_boot_equals(c, std::nullopt, std::nullopt, c);
}

TEST(NextBootArm64, OtherBootsOfTheSameUefiMachineArePredictedFromOne) {
    // virt + EDK II, 1 GiB, Debian 6.1: the plain boot, efi=debug, cma=, crashkernel=, mem=, and a
    // tree with static, dynamic, no-map and CMA regions handed to the firmware with -dtb.
    const fs::path dir = test::fixtures() / "kernel-uefi";
    const std::vector<std::string> machine = {"uefi-arm64-1G", "uefi-arm64-1G-efidebug", "uefi-arm64-1G-cma128", "uefi-arm64-1G-crash64",
                                              "uefi-arm64-1G-mem768", "uefi-arm64-rmem-mixed"};
    const fs::path rmem_dtb = fs::temp_directory_path() / ("bootmap-next-boot-rmem-" + std::to_string(::getpid()) + ".dtb");
    ASSERT_EQ(std::system(("dtc -q -I dts -O dtb -o " + rmem_dtb.string() + " " + (dir / "uefi-arm64-rmem-mixed/input.dts").string()).c_str()), 0);
    std::size_t pairs = 0;
    for (const auto& from : machine)
        for (const auto& to : machine) {
            if (from == to) continue;
            const bool new_tree = to == "uefi-arm64-rmem-mixed" || from == "uefi-arm64-rmem-mixed";
            std::optional<fs::path> dtb;
            if (new_tree) dtb = to == "uefi-arm64-rmem-mixed" ? rmem_dtb : dir / "uefi-arm64-1G/machine.dtb";
            ++pairs;
            if (from == "uefi-arm64-1G-mem768") {
                // That boot's /proc/iomem stops at its limit: the prediction says so rather than guess.
                cli::InputOptions options;
                options.boot = (dir / from).string();
                std::string log;
                const auto m = cli::load_machine(options, log);
                ASSERT_TRUE(m);
                EXPECT_TRUE(std::any_of(m.value().assumptions.begin(), m.value().assumptions.end(),
                                        [](const std::string& a) { return a.find("ran with mem=768M") != std::string::npos; }));
                continue;
            }
            expect_arm64_boot_equals(dir / from, cmdline_of(dir / to), dtb, dir / to);
        }
    fs::remove(rmem_dtb);
    EXPECT_EQ(pairs, 30u);
}

// Debian's 6.12.118 on a DT, every capture (the plain one and the reserved-memory gate probes),
// each predicted from itself with the version its log gives: the memblock files carry node and
// flags, the zones a Device line, NUMA without a memory node id fakes its node without saying "No
// NUMA configuration", and the reserved-memory lines are the restructured code's.
TEST(NextBootArm64, Debian612TreeCapturesAreTheirOwnPrediction) {
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "kernel-6.12")) {
        const fs::path c = entry.path();
        const std::string name = c.filename().string();
        if (!name.starts_with("arm64-")) continue;
        ++checked;
        cli::InputOptions options;
        options.boot = c.string();
        std::string log;
        auto machine = cli::load_machine(options, log);
        ASSERT_TRUE(machine) << format_input_error(machine.error());
        EXPECT_EQ(machine.value().profile.version, (KernelVersion{6, 12})) << name;
        EXPECT_EQ(machine.value().profile.version.patch, 118u) << name;
        const std::string dmesg = test::slurp(c / "dmesg.txt");
        EXPECT_EQ(predict(machine.value(), Artifact::memblock_memory), test::slurp(c / "memblock-memory.txt")) << name;
        EXPECT_EQ(predict(machine.value(), Artifact::zones), test::kernel_zone_block(dmesg)) << name;
        EXPECT_EQ(predict(machine.value(), Artifact::numa), arm64_numa_lines(dmesg)) << name;
        EXPECT_EQ(replayed_rmem_lines(machine.value()), rmem_lines(dmesg, true)) << name;
        EXPECT_EQ(arm64_top_level(predict(machine.value(), Artifact::iomem)), arm64_top_level(test::slurp(c / "iomem.txt"))) << name;
    }
    EXPECT_EQ(checked, 13u);  // arm64-1G, the nine reserved-memory probes, crashkernel=,high with and without ,low, hugetlb_cma=1G
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The tree an ACPI boot's EFI stub makes holds no memory: every artifact refuses, naming what to
// give instead, rather than printing memblock's empty dummy entry as a prediction.
TEST(NextBootArm64, AnEmptyUefiTreeIsRefusedWithTheWayOut) {
    cli::InputOptions options;
    options.dtb = (test::fixtures() / "kernel-uefi/uefi-acpi-arm64-1G/machine.dtb").string();
    std::string log;
    auto machine = cli::load_machine(options, log);
    ASSERT_TRUE(machine);
    for (const auto artifact : {Artifact::memblock_memory, Artifact::memblock_reserved, Artifact::iomem, Artifact::zones, Artifact::numa, Artifact::rmem}) {
        const auto predicted = predict_artifact(machine.value(), artifact);
        ASSERT_FALSE(predicted) << predicted.value();
        EXPECT_NE(predicted.error().message.find("describes no memory"), std::string::npos);
        EXPECT_NE(predicted.error().hint.find("--boot DIR"), std::string::npos);
    }
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// "My current line plus one change": from the efi=debug boot, adding crashkernel= predicts the boot
// that had it; removing it again from that boot predicts the one without.
TEST(NextBoot, CmdlineAddAndRemoveChangeTheCapturedLine) {
    const fs::path dir = test::fixtures() / "kernel-uefi";
    cli::InputOptions add;
    add.boot = (dir / "uefi-x86-2G-efidebug").string();
    add.cmdline_add = {"crashkernel=256M"};
    std::string log;
    auto added = cli::load_machine(add, log);
    ASSERT_TRUE(added);
    EXPECT_EQ(added.value().cmdline->text, "console=ttyS0 panic=-1 loglevel=7 nokaslr efi=debug initrd=initrd crashkernel=256M");
    EXPECT_EQ(predict(added.value(), Artifact::iomem), test::e820_iomem_lines(test::slurp(dir / "uefi-x86-2G-crash256-efidebug/iomem.txt")));
    // The added characters point at the option, the kept ones into the capture's cmdline.txt.
    EXPECT_EQ(added.value().cmdline->locate(added.value().cmdline->text.find("crashkernel")).file, "--cmdline-add");
    EXPECT_NE(added.value().cmdline->locate(0).file.find("cmdline.txt"), std::string::npos);

    cli::InputOptions remove;
    remove.boot = (dir / "uefi-x86-2G-crash256-efidebug").string();
    remove.cmdline_remove = {"crashkernel"};
    auto removed = cli::load_machine(remove, log);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed.value().cmdline->text.find("crashkernel"), std::string::npos);
    EXPECT_EQ(predict(removed.value(), Artifact::iomem), test::e820_iomem_lines(test::slurp(dir / "uefi-x86-2G-efidebug/iomem.txt")));

    // Without a command line of its own, a log's "Command line:" is the one changed.
    cli::InputOptions from_log;
    from_log.dmesg = (test::fixtures() / "kernel/x86-2G/dmesg.txt").string();
    from_log.cmdline_add = {"memmap=512M!1G", "-- init-arg"};
    from_log.cmdline_remove = {"loglevel"};
    auto logged = cli::load_machine(from_log, log);
    ASSERT_TRUE(logged);
    EXPECT_EQ(logged.value().cmdline->text, "console=ttyS0 panic=-1 nokaslr memmap=512M!1G -- init-arg");
    EXPECT_EQ(predict(logged.value(), Artifact::e820), test::user_lines(test::slurp(test::fixtures() / "kernel/x86-memmap-pmem/dmesg.txt")));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A placement the kernel fails on arm64 is a finding quoting the kernel's words, held to real boots:
// cma=3G and crashkernel=2G on a 1 GiB virt machine, predicted from its plain boot.
TEST(NextBootArm64, FailedPlacementsAreFindingsWithTheKernelsWords) {
    const fs::path from = test::fixtures() / "kernel/arm64-1G";
    const std::vector<std::pair<std::string, std::string>> cases = {{"arm64-1G-cma-3G", std::string(rules::cma_failed)},
                                                                    {"arm64-1G-crash-2G", std::string(rules::crashkernel_failed)}};
    for (const auto& [truth, rule] : cases) {
        cli::InputOptions options;
        options.boot = from.string();
        options.cmdline = cmdline_of(test::fixtures() / "kernel" / truth);
        std::string log;
        auto machine = cli::load_machine(options, log);
        ASSERT_TRUE(machine);
        const auto report = analyze_machine(machine.value());
        const auto it = std::find_if(report.diagnostics.begin(), report.diagnostics.end(), [&](const Diagnostic& d) { return d.rule_id == rule; });
        ASSERT_NE(it, report.diagnostics.end()) << truth;
        // Every line it quotes is one the kernel printed.
        const std::string dmesg = test::slurp(test::fixtures() / "kernel" / truth / "dmesg.txt");
        std::size_t quoted = 0;
        for (std::size_t at = it->message.find('\''); at != std::string::npos; at = it->message.find('\'', at + 1)) {
            const auto end = it->message.find('\'', at + 1);
            if (end == std::string::npos) break;
            EXPECT_NE(dmesg.find(it->message.substr(at + 1, end - at - 1)), std::string::npos) << truth << ": " << it->message;
            ++quoted;
            at = end;
        }
        EXPECT_GE(quoted, 1u) << it->message;
    }
    // The same line with sizes that fit: no such finding.
    cli::InputOptions fits;
    fits.boot = from.string();
    fits.cmdline_add = {"cma=64M crashkernel=64M"};
    std::string log;
    auto machine = cli::load_machine(fits, log);
    ASSERT_TRUE(machine);
    const auto report = analyze_machine(machine.value());
    for (const auto& d : report.diagnostics) EXPECT_TRUE(d.rule_id != rules::cma_failed && d.rule_id != rules::crashkernel_failed) << d.message;
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A profile is a full version: the sublevel decides the gates a stable series took in its middle.
TEST(KernelVersions, SublevelsDecideTheReservedMemoryCode) {
    EXPECT_EQ(parse_kernel_version("6.12.118+deb12-amd64")->patch, 118u);
    EXPECT_EQ(parse_kernel_version("6.12.5")->patch, 5u);
    EXPECT_FALSE(parse_kernel_version("6.1.0-56-arm64")->patch);  // Debian's ABI name hides the sublevel
    EXPECT_FALSE(parse_kernel_version("6.12")->patch);
    EXPECT_TRUE(parse_kernel_version("6.12")->at_least(6, 12, 103));  // unknown: the newest of the series
    EXPECT_FALSE(parse_kernel_version("6.12.5")->at_least(6, 12, 13));
    EXPECT_TRUE(parse_kernel_version("6.13")->at_least(6, 12, 103));
    EXPECT_EQ(format_kernel_version(*parse_kernel_version("6.12.5")), "6.12.5");

    // The log's own line names the sublevel behind the ABI name.
    const auto log = read_boot_log("dmesg.txt", test::slurp(test::fixtures() / "kernel/x86-2G/dmesg.txt"));
    EXPECT_EQ(log.upstream_release.value_or(""), "6.1.192");

    // Debian's 6.12.118 from its own logs: the reserved-memory lines of its captures, exactly.
    for (const char* name : {"arm64-1G", "arm64-rmem-mixed", "arm64-rmem-70"}) {
        const fs::path c = test::fixtures() / "kernel-6.12" / name;
        cli::InputOptions options;
        options.boot = c.string();
        std::string out;
        auto machine = cli::load_machine(options, out);
        ASSERT_TRUE(machine);
        EXPECT_EQ(machine.value().profile.version.patch, 118u) << name;
        EXPECT_EQ(predict(machine.value(), Artifact::rmem), rmem_lines(test::slurp(c / "dmesg.txt"))) << name;
    }

    // 6.12.5 keeps the fixed array of 64, as 6.1 does: 70 regions give 6.1's lines, and the
    // prediction says which code stands in.
    const fs::path old = test::fixtures() / "kernel/arm64-rmem-70";
    cli::InputOptions options;
    options.boot = old.string();
    options.kernel = "6.12.5";
    options.kernel_from_default = false;
    std::string out;
    auto machine = cli::load_machine(options, out);
    ASSERT_TRUE(machine);
    const std::string expected = rmem_lines(test::slurp(old / "dmesg.txt"));
    ASSERT_NE(expected.find("not enough space for all defined regions"), std::string::npos);
    EXPECT_EQ(predict(machine.value(), Artifact::rmem), expected);
    const auto assumed = prediction_assumptions(machine.value(), replay_boot(machine.value()));
    EXPECT_TRUE(std::any_of(assumed.begin(), assumed.end(), [](const std::string& a) { return a.find("kernel 6.12.5 keeps the fixed array of 64") != std::string::npos; }));
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Without nokaslr the image lands at random: a placement that depends on free memory says so.
TEST(NextBoot, KaslrIsAnAssumptionOfEveryPlacement) {
    const fs::path c = test::fixtures() / "kernel" / "x86-numa-2node";
    const auto says_kaslr = [](const Machine& m) {
        const auto assumed = prediction_assumptions(m, replay_boot(m));
        return std::any_of(assumed.begin(), assumed.end(), [](const std::string& a) { return a.starts_with("KASLR is on"); });
    };
    EXPECT_TRUE(says_kaslr(load(c, std::string("crashkernel=256M"))));
    EXPECT_FALSE(says_kaslr(load(c, std::string("nokaslr crashkernel=256M"))));
    EXPECT_FALSE(says_kaslr(load(c, std::string("quiet"))));  // nothing placed, nothing assumed
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A plain-DT capture says where the bootloader put the tree: memblock reserved exactly the blob
// (early_init_fdt_reserve_self()), so the next boot reserves it there too and assumes nothing.
TEST(NextBootArm64, TheTreesPlaceComesFromTheCapturesReservations) {
    std::size_t placed = 0;
    for (const char* name : {"kernel/arm64-rmem-align-npot", "kernel/arm64-rmem-mixed-mem-256M", "kernel-6.12/arm64-rmem-align-npot"}) {
        const auto dir = test::fixtures() / name;
        const Machine machine = load(dir, std::nullopt);
        ASSERT_TRUE(machine.placement.fdt) << name;
        const std::string reserved = test::slurp(dir / "memblock-reserved.txt");
        EXPECT_NE(reserved.find(fmt::format("0x{:016x}..0x{:016x}", machine.placement.fdt->first,
                                            machine.placement.fdt->first + machine.device_tree->total_size - 1)),
                  std::string::npos)
            << name;
        const auto assumed = prediction_assumptions(machine, replay_boot(machine));
        EXPECT_TRUE(std::none_of(assumed.begin(), assumed.end(), [](const std::string& a) { return a.find("where the bootloader put the DTB") != std::string::npos; }))
            << name;
        ++placed;
    }
    EXPECT_EQ(placed, 3u);
    // A capture whose memblock file is not memblock's is refused at its line.
    const auto broken = fs::temp_directory_path() / ("bootmap-memblock-" + std::to_string(::getpid()));
    fs::create_directories(broken);
    fs::copy_file(test::fixtures() / "kernel/arm64-rmem-align-npot/machine.dtb", broken / "machine.dtb", fs::copy_options::overwrite_existing);
    std::ofstream(broken / "memblock-reserved.txt") << "   0: 0x40000000..0x4fffffff\nnot memblock\n";
    const auto run = test::run_bootmap("predict --boot " + broken.string() + " --emit rmem");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("memblock-reserved.txt:2:1: error: expected a memblock line"), std::string::npos) << run.err;
    fs::remove_all(broken);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// arm64 memory blocks: one section each, for every section with memory at boot (no-map included),
// held to three boots that listed /sys/devices/system/memory.
TEST(NextBootArm64, MemoryBlocksAreTheKernels) {
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(test::fixtures() / "memory-blocks")) {
        if (!entry.is_directory()) continue;
        const Machine machine = load(entry.path(), std::nullopt);
        std::vector<std::string> real;
        std::istringstream in(test::slurp(entry.path() / "memory-blocks.txt"));
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) real.push_back(line);
        std::sort(real.begin(), real.end(), [](const std::string& a, const std::string& b) { return a.substr(a.find(' ')) < b.substr(b.find(' ')); });
        std::string expected;
        for (const auto& line : real) expected += line + "\n";
        EXPECT_EQ(predict(machine, Artifact::memory_blocks), expected) << entry.path();
        ++checked;
    }
    EXPECT_EQ(checked, 3u);
}

}  // namespace
}  // namespace bootmap
