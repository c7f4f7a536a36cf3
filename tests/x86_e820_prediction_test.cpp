// The truth: what a real Linux 6.1 kernel printed and built under QEMU for each x86 scenario. Given
// only the firmware map and the scenario's command line, the prediction must equal it exactly.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>
#include <sstream>

#include "kernel/x86_boot.hpp"
#include "predict/artifact.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/srat_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

std::vector<std::string> scenarios() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "kernel"))
        if (entry.path().filename().string().rfind("x86-", 0) == 0) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return test::non_empty(out, "x86 captures");
}

// cmdline_file: "cmdline.txt" (/proc/cmdline as the kernel saw it: the scenario's parameters plus the
// harness's own, among them nokaslr, which fixes where the kernel image sits) or
// "scenario-cmdline.txt" (only the parameters under test).
Machine machine_for(const std::string& scenario, const std::string& firmware_file, const std::string& cmdline_file = "cmdline.txt") {
    const auto dir = test::fixtures() / "kernel" / scenario;
    Machine m;
    auto e820 = read_e820_text((dir / firmware_file).string(), test::slurp(dir / firmware_file));
    EXPECT_TRUE(e820) << format_input_error(e820.error());
    m.firmware_e820 = std::move(e820).value();
    std::string cmdline = test::slurp(dir / cmdline_file);
    auto parsed = read_cmdline(cmdline_file, cmdline);
    EXPECT_TRUE(parsed);
    m.cmdline = std::move(parsed).value();
    if (std::filesystem::exists(dir / "srat-b64.txt")) m.srat = read_srat("srat", test::slurp(dir / "srat-b64.txt")).value();
    return m;
}

// The kernel's crashkernel lines, timestamps dropped.
std::vector<std::string> crash_lines(const std::string& dmesg) {
    static const std::regex crash(
        R"(\] ((Reserving .*crashkernel.*|crashkernel.*|Cannot reserve .*crashkernel.*|cma: .*|\.text \.data \.bss are not marked as E820_TYPE_RAM!|)"
        R"(No NUMA configuration found|Faking a node at .*|SRAT: PXM .*|ACPI: SRAT: Node .*|NUMA: Node .*|)"
        R"(Faking node .*|Fake node size .*|numa=fake=.*|Not enough memory for each node.*|numa_emulation: .*|NUMA: Warning: .*|)"
        R"(NUMA: Initialized distance table.*|NUMA: nodes only cover .*|NUMA: no nodes coverage .*|node [0-9]+ \[mem .*\] overlaps with node .*|)"
        R"(HugeTLB: allocating .*))$)");
    std::vector<std::string> out;
    std::istringstream in(dmesg);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_search(line, m, crash)) out.push_back(m[1]);
    return out;
}

TEST(X86E820Prediction, UserMapEqualsTheKernelsForEveryScenario) {
    const auto all = scenarios();
    ASSERT_GE(all.size(), 13u);
    for (const auto& s : all) {
        for (const char* firmware : {"dmesg.txt", "firmware-memmap.txt"}) {
            auto predicted = predict_artifact(machine_for(s, firmware, "scenario-cmdline.txt"), Artifact::e820);
            ASSERT_TRUE(predicted) << s << ": " << format_input_error(predicted.error());
            EXPECT_EQ(predicted.value(), test::user_lines(test::slurp(test::fixtures() / "kernel" / s / "dmesg.txt"))) << s << " from " << firmware;
        }
    }
}

// The next boot of the same machine: its current /proc/iomem gives the PCI windows the RAM buffers
// are placed around (x86-2000M's buffer lies under the window that starts at 0x7d000000).
TEST(X86E820Prediction, IomemE820EntriesEqualTheKernelsForEveryScenario) {
    std::size_t buffers = 0;
    for (const auto& s : scenarios()) {
        Machine m = machine_for(s, "firmware-memmap.txt");
        const std::string real = test::slurp(test::fixtures() / "iomem/kernel" / (s + ".iomem"));
        m.booted_iomem = std::make_shared<const IomemTree>(read_iomem(s, real).value());
        auto predicted = predict_artifact(m, Artifact::iomem);
        ASSERT_TRUE(predicted) << s;
        EXPECT_EQ(predicted.value(), test::e820_iomem_lines(real)) << s;
        buffers += predicted.value().find("RAM buffer") != std::string::npos;
    }
    EXPECT_EQ(buffers, 1u);  // x86-5000M: RAM ends at 0x1b8800000, 64 MiB short of a boundary
}

// The lines of the boot steps modelled (kernel range repair, CMA, crashkernel), in the kernel's order.
TEST(X86E820Prediction, ModelledLogLinesEqualTheKernels) {
    std::size_t with_crashkernel = 0;
    for (const auto& s : scenarios()) {
        const std::string dmesg = test::slurp(test::fixtures() / "kernel" / s / "dmesg.txt");
        const auto expected = crash_lines(dmesg);
        if (expected.empty()) continue;
        ++with_crashkernel;
        const Machine m = machine_for(s, "firmware-memmap.txt");
        const auto boot = replay_x86_boot(*m.firmware_e820, &*m.cmdline, m.profile, m.srat ? &*m.srat : nullptr);
        EXPECT_EQ(boot.log, expected) << s;
    }
    EXPECT_EQ(with_crashkernel, 53u);  // every x86 scenario: each prints its NUMA lines (and numa=fake='s)
}

// x86 keeps no memblock debugfs; memblock=debug prints the same arrays. The memory array at the
// second dump (after NUMA init) is what --emit memblock-memory predicts.
TEST(X86E820Prediction, MemblockMemoryEqualsTheKernelsDebugDump) {
    const std::string dmesg = test::slurp(test::fixtures() / "kernel/x86-2G-mbdebug/dmesg.txt");
    static const std::regex region(R"(memory\[0x([0-9a-f]+)\]\s+\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\], .* on node)");
    std::string expected;
    std::istringstream in(dmesg);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_search(line, m, region))
            expected += fmt::format("{:4}: {}..{}\n", std::stoul(m[1], nullptr, 16), std::string(m[2]), std::string(m[3]));
    ASSERT_FALSE(expected.empty());
    auto predicted = predict_artifact(machine_for("x86-2G-mbdebug", "dmesg.txt"), Artifact::memblock_memory);
    ASSERT_TRUE(predicted);
    EXPECT_EQ(predicted.value(), expected);
}

TEST(X86E820Prediction, NonTrivialScenariosReallyChangeTheMap) {
    // Guards the test above against passing on identical inputs: these scenarios must print a map.
    for (const char* s : {"x86-mem-1536M", "x86-memmap-exactmap", "x86-memmap-limit", "x86-memmap-pmem", "x86-memmap-reserve"})
        EXPECT_FALSE(test::user_lines(test::slurp(test::fixtures() / "kernel" / s / "dmesg.txt")).empty()) << s;
}

}  // namespace
}  // namespace bootmap
