#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "analysis/pipeline.hpp"
#include "analysis/rule_catalogue.hpp"
#include "readers/bootloader_reader.hpp"
#include "readers/e820_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

// The firmware map of the 2 GiB QEMU machine, with a command line from a rule fixture.
AnalysisReport analyze_cmdline(const std::filesystem::path& cmdline_file, bool with_cma = false) {
    Machine m;
    // Debian's amd64 kernel has no CMA; the cma- rules are about kernels built with it.
    if (with_cma) m.profile.cma_config = true;
    const auto fw = test::fixtures() / "kernel/x86-2G/firmware-memmap.txt";
    m.firmware_e820 = read_e820_text(fw.string(), test::slurp(fw)).value();
    auto cmdlines = read_bootloader_cmdlines(cmdline_file.string(), test::slurp(cmdline_file));
    EXPECT_TRUE(cmdlines);
    m.cmdline = std::move(cmdlines.value().cmdlines.front());
    return analyze_machine(std::move(m));
}

std::size_t count(const AnalysisReport& r, std::string_view rule) {
    return static_cast<std::size_t>(
        std::count_if(r.diagnostics.begin(), r.diagnostics.end(), [&](const Diagnostic& d) { return d.rule_id == rule; }));
}

TEST(E820Checks, EveryCommandLineRuleFiresOnItsFixtureAndNotOnItsCleanTwin) {
    std::size_t rules_checked = 0;
    for (const auto& rule : rule_catalogue()) {
        if (rule.id.rfind("iomem-", 0) == 0 || rule.id.rfind("kmem-", 0) == 0 || rule.id.rfind("dmem-", 0) == 0 || rule.id.rfind("dt-", 0) == 0 ||
            rule.id.rfind("numa-", 0) == 0 || rule.id.rfind("hugetlb-", 0) == 0 || rule.id.rfind("arm64-", 0) == 0)
            continue;  // driven by other inputs: their own tests
        if (rule.id == rules::e820_ram_beyond_addressing) continue;  // judges the firmware map alone: a boot log fixture (rule_fixtures_test)
        const auto dir = test::fixtures() / "cmdline/rules";
        const auto fires = dir / (std::string(rule.id) + ".fires.cmdline");
        const auto clean = dir / (std::string(rule.id) + ".clean.cmdline");
        ASSERT_TRUE(std::filesystem::exists(fires)) << fires;
        ASSERT_TRUE(std::filesystem::exists(clean)) << clean;
        const bool cma = rule.id.rfind("cma-", 0) == 0;
        EXPECT_GE(count(analyze_cmdline(fires, cma), rule.id), 1u) << rule.id;
        const auto clean_report = analyze_cmdline(clean, cma);
        EXPECT_EQ(count(clean_report, rule.id), 0u) << rule.id;
        ++rules_checked;
    }
    EXPECT_EQ(rules_checked, cmdline_rules().size() + e820_rules().size() - 1 + boot_param_rules().size() + crashkernel_rules().size() - 2);  // hugetlb-cma-failed and arm64-mem-counts-nomap: their own tests
}

// memparse() reads every size and address of crashkernel=, cma= and the other memory parameters as it
// reads mem=: a leading 0 is octal there too.
TEST(E820Checks, OctalSizesOfOtherParametersAreSurprisesToo) {
    const auto r = test::run_bootmap("lint --format json --cmdline 'crashkernel=010M cma=064M@0x40000000 hugepagesz=1G'");
    const auto j = nlohmann::json::parse(r.out);
    std::vector<std::pair<int, std::string>> found;
    for (const auto& d : j.at("diagnostics"))
        if (d.at("rule") == "cmdline-memparse-surprise") found.emplace_back(d.at("location").at("column").get<int>(), d.at("message").get<std::string>());
    ASSERT_EQ(found.size(), 2u) << r.out;
    EXPECT_EQ(found[0].first, 13);
    EXPECT_NE(found[0].second.find("crashkernel= '010M' starts with 0, so the kernel reads it as octal: 8 MiB"), std::string::npos);
    EXPECT_EQ(found[1].first, 22);
    EXPECT_NE(found[1].second.find("52 MiB"), std::string::npos);
}

TEST(E820Checks, FindingsPointAtTheTokenAndQuoteIt) {
    const auto r = analyze_cmdline(test::fixtures() / "cmdline/rules/cmdline-memmap-missing-address.fires.cmdline");
    auto it = std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                           [](const Diagnostic& d) { return d.rule_id == rules::cmdline_memmap_missing_address; });
    ASSERT_NE(it, r.diagnostics.end());
    EXPECT_EQ(it->where.line, 1u);
    EXPECT_EQ(it->where.column, 17u);  // the '$' of "quiet memmap=64M$"
    EXPECT_NE(it->message.find("'64M$'"), std::string::npos);
}

TEST(E820Checks, UnalignedPmemReportsWhatKmemCouldOnline) {
    const auto r = analyze_cmdline(test::fixtures() / "cmdline/rules/e820-pram-unaligned.fires.cmdline");
    auto it = std::find_if(r.diagnostics.begin(), r.diagnostics.end(), [](const Diagnostic& d) { return d.rule_id == rules::e820_pram_unaligned; });
    ASSERT_NE(it, r.diagnostics.end());
    // 500 MiB at 1 GiB: the last whole 128 MiB section ends at 1 GiB + 384 MiB.
    EXPECT_NE(it->message.find("only 384 MiB of 500 MiB"), std::string::npos) << it->message;
}

TEST(E820Checks, InvalidUserMapIsAnErrorAndStopsThePrediction) {
    const auto r = analyze_cmdline(test::fixtures() / "cmdline/rules/e820-user-map-invalid.fires.cmdline");
    ASSERT_TRUE(r.e820_setup);
    EXPECT_TRUE(r.e820_setup->invalid_user_map);
    EXPECT_FALSE(r.e820_setup->user_map);
    EXPECT_TRUE(has_errors(r.diagnostics));
}

// memmap=exactmap with RAM over SeaBIOS's reserved top of low memory: the kernel overwrote its ACPI
// tables ("ACPI Error: AE_NO_ACPI_TABLES") and the machine never powered off (the oracle's 300 s
// timeout). The rule names the tables the same boot's log lists there.
TEST(E820Checks, RamOverTheAcpiTablesIsTheErrorTheKernelHit) {
    const auto dir = test::fixtures() / "kernel-failed/x86-exactmap-over-acpi-tables";
    ASSERT_NE(test::slurp(dir / "dmesg.txt").find("ACPI Error: AE_NO_ACPI_TABLES"), std::string::npos);
    ASSERT_NE(test::slurp(dir / "boot-status.txt").find("rc=124"), std::string::npos);
    const auto r = test::run_bootmap("lint --format json --dmesg " + (dir / "dmesg.txt").string() + " --cmdline '" +
                                     test::slurp(dir / "scenario-cmdline.txt").substr(0, test::slurp(dir / "scenario-cmdline.txt").find('\n')) + "'");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    std::size_t fired = 0;
    for (const auto& d : j.at("diagnostics"))
        if (d.at("rule") == "cmdline-memmap-ram-over-firmware") {
            ++fired;
            EXPECT_NE(d.at("message").get<std::string>().find("RSDT at 0x7ffe22d0"), std::string::npos) << d.dump();
        }
    EXPECT_EQ(fired, 1u) << r.out;  // not for 640K@0: the first MiB stays reserved
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// The oracle's answer for mem=48M is a boot that runs out of memory; the rule must call it an error.
TEST(E820Checks, MemBelowTheKernelImageIsTheOomTheKernelHit) {
    const auto console = test::slurp(test::fixtures() / "kernel-failed/x86-mem-48M/console.log");
    ASSERT_NE(console.find("Out of memory and no killable processes"), std::string::npos);
    const auto r = analyze_cmdline(test::fixtures() / "kernel-failed/x86-mem-48M/scenario-cmdline.txt");
    EXPECT_EQ(count(r, rules::cmdline_mem_below_kernel_image), 1u);
    EXPECT_TRUE(has_errors(r.diagnostics));
    // predict has nothing to print for that boot: no user space ever reads an artifact.
    const auto dmesg = (test::fixtures() / "kernel/x86-2G/dmesg.txt").string();
    for (const char* artifact : {"iomem", "zones", "e820"}) {
        const auto run = test::run_bootmap(std::string("predict --dmesg ") + dmesg + " --cmdline mem=48M --emit " + artifact);
        EXPECT_EQ(run.exit_code, 1) << artifact;
        EXPECT_TRUE(run.out.empty()) << artifact;
        EXPECT_NE(run.err.find("never reaches user space"), std::string::npos) << run.err;
        EXPECT_NE(run.err.find("[cmdline-mem-below-kernel-image]"), std::string::npos) << run.err;
    }
    EXPECT_EQ(test::run_bootmap("predict --dmesg " + dmesg + " --cmdline mem=1G --emit zones").exit_code, 0);
}

// RAM declared over a hole: the oracle boot never printed a kernel line; predict says so too.
TEST(E820Checks, RamOverAHoleIsABootThatNeverComesUp) {
    const auto dir = test::fixtures() / "kernel-failed/x86-memmap-ram-over-hole";
    EXPECT_EQ(test::slurp(dir / "console.log").find("Linux version"), std::string::npos);
    EXPECT_NE(test::slurp(dir / "boot-status.txt").find("rc=124"), std::string::npos);
    const auto dmesg = (test::fixtures() / "kernel/x86-2G/dmesg.txt").string();
    const auto run = test::run_bootmap("predict --dmesg " + dmesg + " --cmdline-from " + (dir / "scenario-cmdline.txt").string() + " --emit iomem");
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_TRUE(run.out.empty());
    EXPECT_NE(run.err.find("[cmdline-memmap-ram-over-hole]"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace bootmap
