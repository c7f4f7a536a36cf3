// MemTotal as the page allocator ends up with it, estimated from what a boot's inputs decide, held to
// /proc/meminfo of every capture that has one (x86 and arm64, 6.1 and 6.12, BIOS, DT and UEFI): within
// the tolerance the report states.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/ram_account.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

std::uint64_t meminfo_total(const std::filesystem::path& meminfo) {
    const std::string text = test::slurp(meminfo);
    const auto at = text.find("MemTotal:");
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + 9)) * 1024;
}

TEST(MemTotal, EveryCaptureIsWithinTheStatedTolerance) {
    std::size_t checked = 0;
    double worst = 0;
    for (const char* folder : {"kernel", "kernel-6.12", "kernel-uefi"})
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / folder)) {
            const auto meminfo = entry.path() / "meminfo.txt";
            if (!std::filesystem::exists(meminfo)) continue;
            const auto r = test::run_bootmap("analyze --format json --boot " + entry.path().string());
            ASSERT_EQ(r.exit_code == 2, false) << entry.path() << ": " << r.err;
            const auto j = nlohmann::json::parse(r.out);
            ASSERT_TRUE(j.contains("ram")) << entry.path();
            const double real = static_cast<double>(meminfo_total(meminfo));
            const double estimate = j.at("ram").at(0).at("mem_total_estimate").get<double>();
            const double error = std::abs(estimate - real) / real;
            worst = std::max(worst, error);
            EXPECT_LE(error, kMemTotalTolerance) << entry.path() << ": estimate " << estimate << ", MemTotal " << real;
            ++checked;
        }
    RecordProperty("worst_error_percent", std::to_string(worst * 100));
    EXPECT_EQ(checked, 78u);
}

// The cost of a change: the boot the log records beside the one predicted, as the issue's own case
// (mem=5G memmap=2G!3G on a 6 GiB machine took MemTotal from about 5.8 to 1.9 GiB).
TEST(MemTotal, AChangeIsWeighedAgainstTheLoggedBoot) {
    const auto r = test::run_bootmap("analyze --format json --dmesg " + (test::fixtures() / "kernel/x86-6G/dmesg.txt").string() +
                                     " --cmdline 'mem=5G memmap=2G!3G'");
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j.at("ram").size(), 2u);
    const auto& after = j.at("ram").at(0);
    const auto& before = j.at("ram").at(1);
    EXPECT_EQ(after.at("boot"), "predicted boot");
    EXPECT_EQ(before.at("boot"), "logged boot");
    const double real_before = static_cast<double>(meminfo_total(test::fixtures() / "kernel/x86-6G/meminfo.txt"));
    EXPECT_LE(std::abs(before.at("mem_total_estimate").get<double>() - real_before) / real_before, kMemTotalTolerance);
    EXPECT_EQ(after.at("ram_after_cmdline").get<std::uint64_t>(), 0x7ffdf000u - 0x100000u + 0x9fc00u - 0x1000u);  // RAM below 2 GiB, less page 0
    EXPECT_LT(after.at("mem_total_estimate").get<double>(), 2.0 * (1u << 30));
}

}  // namespace
}  // namespace bootmap
