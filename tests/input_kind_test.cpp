#include <gtest/gtest.h>

#include <sys/wait.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

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

// The stock bootloader files and the rest of the real corpus: tests/corpus_test.cpp.

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A captured log rewritten in every timestamp style the tools print (the message after the prefix
// unchanged): each is recognised as a kernel log by content and gives the prediction the original
// gives. `dmesg -T`, `-t`, `-x` and ISO times were read as command-line lists before (63 false
// warnings on one log).
TEST(InputKind, EveryKernelLogTimestampStyleIsALog) {
    const std::vector<std::pair<std::string, std::string>> styles = {
        {"dmesg", "[    0.000000] "},
        {"dmesg -r", "<6>[    0.000000] "},
        {"dmesg -x", "kern  :info  : [    0.000000] "},
        {"dmesg -T", "[Sat Dec  5 04:00:00 2026] "},
        {"dmesg -t", ""},
        {"dmesg --time-format iso", "2026-12-05T04:00:00,123456+00:00 "},
        {"journalctl -k", "Dec 05 04:00:00 host kernel: "},
        {"journalctl -k -o short-precise", "Dec 05 04:00:00.123456 host kernel: "},
        {"journalctl -k -o short-iso", "2026-12-05T04:00:00+0000 host kernel: "},
        {"kern.log", "Dec  5 04:00:00 host kernel: [    0.000000] "},
        {"times elided by a poster", "[] "},
    };
    const auto dir = std::filesystem::temp_directory_path() / ("bootmap-log-styles-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const char* capture : {"kernel/x86-numa-2node", "kernel/arm64-1G"}) {
        const std::string original = test::slurp(test::fixtures() / capture / "dmesg.txt");
        std::string messages;  // the log without its timestamps
        for (std::size_t at = 0; at < original.size();) {
            const auto end = original.find('\n', at);
            std::string_view line(original.data() + at, (end == std::string::npos ? original.size() : end) - at);
            if (line.starts_with("[")) line.remove_prefix(std::min(line.size(), line.find("] ") + 2));
            messages += std::string(line) + "\n";
            at = end == std::string::npos ? original.size() : end + 1;
        }
        // An x86 log predicts the zones on its own; an arm64 log is checked for what lint says of it.
        const bool x86 = std::string_view(capture).find("x86") != std::string_view::npos;
        const auto expected = test::run_bootmap((x86 ? "predict --emit zones " : "lint ") + (test::fixtures() / capture / "dmesg.txt").string());
        ASSERT_EQ(expected.exit_code, 0) << expected.err;
        for (const auto& [style, prefix] : styles) {
            std::string log;
            for (std::size_t at = 0; at < messages.size();) {
                const auto end = messages.find('\n', at);
                log += prefix + messages.substr(at, end - at) + "\n";
                at = end + 1;
            }
            EXPECT_EQ(detect_input_kind(log), InputKind::dmesg) << capture << ": " << style;
            const auto path = dir / "log.txt";
            std::ofstream(path, std::ios::trunc) << log;
            const auto predicted = test::run_bootmap((x86 ? "predict --emit zones " : "lint ") + path.string());
            EXPECT_EQ(predicted.exit_code, 0) << capture << ": " << style << "\n" << predicted.err;
            EXPECT_EQ(predicted.out, expected.out) << capture << ": " << style << "\n" << predicted.err;
            if (x86) {
                const auto lint = test::run_bootmap("lint " + path.string());
                EXPECT_EQ(lint.exit_code, 0) << capture << ": " << style << "\n" << lint.out.substr(0, 500);
                EXPECT_EQ(lint.out, "0 errors, 0 warnings, 0 notes\n") << capture << ": " << style;
            }
        }
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bootmap

namespace bootmap {
namespace {

// A log excerpt that holds its command line but no firmware map is still a kernel log: read, not
// refused for lack of BIOS-e820 lines.
TEST(InputKind, ALogExcerptWithOnlyItsCommandLineIsALog) {
    const auto path = test::fixtures() / "dmesg/excerpts/rhel7-command-line-only.dmesg";
    EXPECT_EQ(detect_input_kind(test::slurp(path)), InputKind::dmesg);
    const auto r = test::run_bootmap("lint " + path.string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace bootmap
