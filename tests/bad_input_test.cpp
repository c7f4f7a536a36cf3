// The bad-input corpus beyond iomem: every malformed e820 map and bootloader file is refused with
// the file, the line (or byte offset) and what was expected there.

#include <gtest/gtest.h>

#include "readers/bootloader_reader.hpp"
#include "readers/e820_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

struct BadCase {
    const char* file;
    std::uint32_t line;
    std::uint32_t column;  // 0: not checked
    const char* message;
};

void expect_refused(const InputError& e, const std::filesystem::path& path, const BadCase& c) {
    EXPECT_EQ(e.where.file, path.string());
    EXPECT_EQ(e.where.line, c.line) << e.message;
    if (c.column) EXPECT_EQ(e.where.column, c.column) << e.message;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
}

TEST(BadInput, E820MapsAreRefusedWithTheirLocation) {
    const BadCase cases[] = {
        {"empty.txt", 1, 1, "found none"},
        {"no-e820-lines.txt", 1, 1, "found none"},
        {"unknown-type-word.txt", 2, 16, "found 'weird'"},
        {"end-before-start.txt", 1, 16, "expected an end address above the start 0x100000"},
        {"address-17-digits.txt", 1, 1, "at most 64 bits"},
        {"whole-address-space.txt", 1, 1, "smaller than the whole 64-bit address space"},
        {"sysfs-missing-end.txt", 1, 1, "expected start, end and type for memmap entry 0"},
        {"sysfs-bad-hex.txt", 1, 1, "found '0xzz'"},
        {"sysfs-unknown-type.txt", 1, 1, "found 'Banana'"},
        {"mixed-forms.txt", 1, 1, "one e820 format per input"},
        {"doc-empty-range.txt", 1, 1, "expected an end address above the start"},
        {"nul-byte.txt", 1, 62, "NUL byte at offset 61"},
        {"utf16.txt", 0, 0, "UTF-16"},
    };
    // Every file of the directory is held to its place and message end to end by fixtures/bad/MANIFEST.tsv.
    for (const auto& c : cases) {
        const auto path = test::fixtures() / "bad/e820" / c.file;
        auto r = read_e820_text(path.string(), test::slurp(path));
        ASSERT_FALSE(r) << c.file;
        expect_refused(r.error(), path, c);
    }
}

TEST(BadInput, BootloaderFilesAreRefusedWithTheirLocation) {
    const BadCase cases[] = {
        {"empty.cmdline", 1, 1, "found an empty file"},
        {"nul-byte.cmdline", 1, 6, "NUL byte at offset 5"},
        {"grub-unterminated-quote", 1, 20, "expected a closing quote"},
        {"grubcfg-unterminated-quote", 2, 32, "expected a closing quote"},
        {"grub-defaults-without-cmdline", 1, 1, "expected GRUB_CMDLINE_LINUX"},
        {"grubcfg-without-linux", 1, 1, "expected 'linux' lines"},
        {"extlinux-without-append", 1, 1, "expected an APPEND line"},
    };
    // Every file of the directory is held to its place and message end to end by fixtures/bad/MANIFEST.tsv.
    for (const auto& c : cases) {
        const auto path = test::fixtures() / "bad/bootloader" / c.file;
        auto r = read_bootloader_cmdlines(path.string(), test::slurp(path));
        ASSERT_FALSE(r) << c.file;
        expect_refused(r.error(), path, c);
    }
}

TEST(BadInput, AHugeCommandLineIsRefusedNotTokenized) {
    const std::string huge(1u << 20, 'x');
    auto r = read_bootloader_cmdlines("huge", huge);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("at most 65536 bytes"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace bootmap
