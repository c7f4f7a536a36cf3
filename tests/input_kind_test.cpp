#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>

#include "readers/input_kind.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

TEST(InputKind, RecognisesEveryIomemFixture) {
    std::size_t seen = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel"})
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            EXPECT_EQ(detect_input_kind(test::slurp(entry.path())), InputKind::iomem) << entry.path();
            ++seen;
        }
    EXPECT_GT(seen, 20u);
}

TEST(InputKind, TellsOtherFormatsApart) {
    EXPECT_EQ(detect_input_kind("console=ttyS0 panic=-1 memmap=512M!1G\n"), InputKind::kernel_cmdline);
    // A /proc/cmdline copy that opens with a flag.
    EXPECT_EQ(detect_input_kind("nokaslr memmap=64M$16M\n"), InputKind::kernel_cmdline);
    EXPECT_EQ(detect_input_kind("quiet splash\n"), InputKind::unknown);
    EXPECT_EQ(detect_input_kind("[    0.000000] BIOS-e820: [mem 0x0-0x9fbff] usable\n"), InputKind::dmesg);
    EXPECT_EQ(detect_input_kind("/dts-v1/;\n/ { };\n"), InputKind::dts);
    EXPECT_EQ(detect_input_kind(std::string("\xd0\x0d\xfe\xed\0\0\0\x10", 8)), InputKind::dtb);
    EXPECT_EQ(detect_input_kind("hello world, this is prose.\n"), InputKind::unknown);
    EXPECT_EQ(detect_input_kind(""), InputKind::unknown);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// Bootloader files as distributions and boards ship them, their command line after comments, menus
// and labels (an indented APPEND, a systemd-boot entry with tabs, a generated grub.cfg): given as a
// bare argument, each is recognised and read, and none raises an error-level finding.
TEST(InputKind, StockBootloaderFilesAreRecognisedAndRaiseNoFalseAlarm) {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / "bootloader/stock")) {
        ++files;
        const std::string text = test::slurp(entry.path());
        EXPECT_EQ(detect_input_kind(text), InputKind::kernel_cmdline) << entry.path();
        const std::string cmd = std::string(BOOTMAP_BINARY) + " lint '" + entry.path().string() + "' >/dev/null 2>&1";
        const int status = std::system(cmd.c_str());
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << entry.path() << " exit " << WEXITSTATUS(status);
    }
    EXPECT_EQ(files, 6u);
}

}  // namespace
}  // namespace bootmap
