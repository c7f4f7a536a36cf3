// The predict -> reboot -> diff loop: a prediction of a captured boot, diffed with --predicted against
// that boot's own /proc/iomem, is empty for every capture (x86 and arm64, 6.1 and 6.12, BIOS, DT and
// UEFI), but where the prediction states the assumption that decides the difference.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace bootmap {
namespace {

namespace fs = std::filesystem;

TEST(DiffLoop, APredictionOfEachCaptureDiffsEmptyAgainstItsIomem) {
    const auto scratch = fs::temp_directory_path() / ("bootmap-diff-loop-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    std::size_t empty = 0, assumed = 0;
    for (const char* folder : {"kernel", "kernel-6.12", "kernel-uefi"})
        for (const auto& entry : fs::directory_iterator(test::fixtures() / folder)) {
            auto iomem = entry.path() / "iomem.txt";
            if (!fs::exists(iomem)) iomem = test::fixtures() / "iomem/kernel" / (entry.path().filename().string() + ".iomem");
            if (!fs::exists(iomem)) continue;
            const auto predicted = test::run_bootmap("predict --emit iomem --boot " + entry.path().string());
            ASSERT_EQ(predicted.exit_code, 0) << entry.path() << ": " << predicted.err;
            const auto file = scratch / "predicted.iomem";
            std::ofstream(file, std::ios::trunc) << predicted.out;
            const auto diff = test::run_bootmap("diff --predicted " + file.string() + " " + iomem.string());
            if (diff.exit_code == 0) {
                ++empty;
                continue;
            }
            // Without efi=debug the log does not say where the boot-services regions were; the
            // prediction assumes them free and says so.
            EXPECT_NE(predicted.err.find("the EFI boot-services regions are not in this log"), std::string::npos) << entry.path() << "\n" << diff.out;
            EXPECT_EQ(diff.exit_code, 1) << diff.err;
            ++assumed;
        }
    fs::remove_all(scratch);
    EXPECT_GE(empty, 96u);
    EXPECT_LE(assumed, 1u);
    // Without --predicted the same comparison lists everything predictions do not model (PCI windows,
    // the kernel's code and data, ...).
    const auto dir = test::fixtures() / "kernel/x86-crashkernel";
    const auto predicted = test::run_bootmap("predict --emit iomem --boot " + dir.string());
    const auto file = fs::temp_directory_path() / ("bootmap-diff-loop-one-" + std::to_string(::getpid()));
    std::ofstream(file, std::ios::trunc) << predicted.out;
    const auto iomem = (test::fixtures() / "iomem/kernel/x86-crashkernel.iomem").string();
    EXPECT_EQ(test::run_bootmap("diff " + file.string() + " " + iomem).exit_code, 1);
    EXPECT_EQ(test::run_bootmap("diff --predicted " + file.string() + " " + iomem).exit_code, 0);
    fs::remove(file);
}

// Two boot logs of one machine differ where their boots did: not only the map, but the crash kernel,
// the zones and the NUMA nodes each boot ended with.
TEST(DiffLoop, TwoLogsCompareTheBootsNotOnlyTheFirmwareMap) {
    const auto log = [](const char* capture) { return (test::fixtures() / "kernel" / capture / "dmesg.txt").string(); };
    const auto crash = test::run_bootmap("diff " + log("x86-2G") + " " + log("x86-crashkernel"));
    EXPECT_EQ(crash.exit_code, 1);
    EXPECT_NE(crash.out.find("appeared  System RAM/Crash kernel  [mem 0x6f000000-0x7effffff] (256 MiB)"), std::string::npos) << crash.out;
    const auto movable = test::run_bootmap("diff " + log("x86-6G") + " " + log("x86-movablecore"));
    EXPECT_NE(movable.out.find("appeared  node 0/zone Movable"), std::string::npos) << movable.out;
    const auto mem = test::run_bootmap("diff " + log("x86-numa-2node") + " " + log("x86-numa-2node-mem2G"));
    EXPECT_NE(mem.out.find("vanished  node 1"), std::string::npos) << mem.out;
    EXPECT_NE(mem.out.find("vanished  zone Normal"), std::string::npos) << mem.out;
    EXPECT_EQ(test::run_bootmap("diff " + log("x86-2G") + " " + log("x86-2G-mbdebug")).exit_code, 0);
}

}  // namespace
}  // namespace bootmap
