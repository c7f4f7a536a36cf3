#include <gtest/gtest.h>

#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

TEST(IomemReader, BuildsTheTreeFromIndentation) {
    auto tree = read_iomem("t", "00000000-00000fff : Reserved\n"
                                "00100000-3fffffff : System RAM\n"
                                "  01000000-01e01d31 : Kernel code\n"
                                "  02000000-028eafff : Kernel rodata\n"
                                "b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]\n"
                                "  b0000000-bfffffff : Reserved\n"
                                "    b0000000-bfffffff : pnp 00:05\n");
    ASSERT_TRUE(tree) << format_input_error(tree.error());
    const auto& t = tree.value();
    ASSERT_EQ(t.entries.size(), 7u);
    EXPECT_EQ(t.roots, (std::vector<std::size_t>{0, 1, 4}));
    EXPECT_EQ(std::vector<std::size_t>(t.children(1).begin(), t.children(1).end()), (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(t.entries[6].depth, 2u);
    EXPECT_EQ(t.entries[6].parent, 5u);
    EXPECT_EQ(t.entries[2].last.value(), 0x01e01d31u);
    EXPECT_EQ(t.entries[4].name, "PCI MMCONFIG 0000 [bus 00-ff]");
    EXPECT_EQ(t.entries[6].line, 7u);
}

TEST(IomemReader, KeepsEmptyNamesAndOddRanges) {
    auto tree = read_iomem("t", "e804b000-e804bfff : \n5d0000000-7cffffff : dax0.0\n");
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree.value().entries[0].name, "");
    EXPECT_FALSE(tree.value().entries[1].range());  // end before start is kept for the analyses to judge
}

TEST(IomemReader, RecoversNestingBeyondThePrintedDepthByContainment) {
    // r_show() indents at most five levels; the sixth and seventh print like the fifth.
    auto tree = read_iomem("t", "00000000-ffffffff : a\n"
                                "  00000000-0fffffff : b\n"
                                "    00000000-00ffffff : c\n"
                                "      00000000-000fffff : d\n"
                                "        00000000-0000ffff : e\n"
                                "          00000000-00000fff : f\n"
                                "          00000000-000000ff : g\n"
                                "          00001000-00001fff : h\n"
                                "          00010000-00010fff : i\n");
    ASSERT_TRUE(tree) << format_input_error(tree.error());
    const auto& e = tree.value().entries;
    EXPECT_EQ(e[5].depth, 5u);
    EXPECT_EQ(e[6].depth, 6u);  // inside f: its child
    EXPECT_EQ(e[6].parent, 5u);
    EXPECT_EQ(e[7].depth, 5u);  // beside f
    EXPECT_EQ(e[7].parent, 4u);
    // Printed at the capped level, i is at least five deep, so e is the shallowest parent it can have,
    // even though it does not fit inside e: the analyses then report the child outside its parent.
    EXPECT_EQ(e[8].parent, 4u);
}

TEST(IomemReader, ReadsCrlfAndBlankLines) {
    auto tree = read_iomem("t", "00000000-00000fff : Reserved\r\n\r\n00001000-0009fbff : System RAM\r\n");
    ASSERT_TRUE(tree);
    EXPECT_TRUE(tree.value().crlf);
    EXPECT_EQ(tree.value().entries[1].name, "System RAM");
    EXPECT_EQ(tree.value().blank_lines_before[1], 1u);
}

struct BadCase {
    const char* file;
    std::uint32_t line;
    std::uint32_t column;
    const char* message;  // a fragment the error must contain
};

class BadIomem : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadIomem, IsRefusedWithFileLineAndWhatWasExpected) {
    const BadCase& c = GetParam();
    const auto path = test::fixtures() / "bad/iomem" / c.file;
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    auto tree = read_iomem(path.string(), test::slurp(path));
    ASSERT_FALSE(tree) << c.file;
    const InputError& e = tree.error();
    EXPECT_EQ(e.where.file, path.string());
    EXPECT_EQ(e.where.line, c.line) << e.message;
    if (c.column) EXPECT_EQ(e.where.column, c.column) << e.message;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadIomem,
    ::testing::Values(BadCase{"missing-separator.iomem", 2, 18, "expected ' : '"}, BadCase{"bad-hex-start.iomem", 2, 5, "expected '-'"},
                      BadCase{"bad-hex-end.iomem", 2, 17, "expected ' : '"}, BadCase{"missing-dash.iomem", 2, 9, "expected '-'"},
                      BadCase{"indent-jumps-two-levels.iomem", 2, 1, "at most 1, found level 3"},
                      BadCase{"indent-odd.iomem", 2, 1, "two spaces per level, found 3"},
                      BadCase{"first-line-indented.iomem", 1, 1, "at most 0"}, BadCase{"empty.iomem", 1, 1, "empty input"},
                      BadCase{"only-blank-lines.iomem", 1, 1, "empty input"}, BadCase{"nul-byte.iomem", 2, 24, "NUL byte at offset 52"},
                      BadCase{"utf16-bom.iomem", 0, 0, "UTF-16"}, BadCase{"address-17-digits.iomem", 2, 1, "at most 16 hex digits"},
                      BadCase{"addresses-hidden-not-root.iomem", 1, 1, "CAP_SYS_ADMIN"}, BadCase{"tab-indent.iomem", 2, 1, "found a tab"},
                      BadCase{"no-space-after-colon.iomem", 2, 20, "expected ' : '"},
                      BadCase{"dmesg-line-first.iomem", 1, 1, "expected a hexadecimal start address, found 'L'"},
                      BadCase{"hex-with-0x.iomem", 2, 2, "found 'x'"}, BadCase{"missing-start.iomem", 2, 1, "start address, found '-'"},
                      BadCase{"missing-end.iomem", 2, 10, "end address, found ' '"}, BadCase{"unicode-dash.iomem", 3, 18, "expected ' : '"},
                      BadCase{"png-header.iomem", 1, 1, "non-ASCII byte"}),
    [](const auto& info) {
        std::string name = info.param.file;
        for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return name;
    });

TEST(IomemReader, TenMegabytesOfGarbageFailsOnItsFirstLine) {
    std::string garbage(10u << 20, 'x');
    garbage += '\n';
    auto tree = read_iomem("garbage", garbage);
    ASSERT_FALSE(tree);
    EXPECT_EQ(tree.error().where.line, 1u);
    EXPECT_EQ(tree.error().where.column, 1u);
}

TEST(IomemReader, TwoThousandLevelsDeepIsReadWithoutRecursion) {
    // Only the kernel's five printed levels exist in a real dump, but deeper indentation must not
    // exhaust the stack or take quadratic time.
    std::string text;
    for (int depth = 0; depth < 2000; ++depth) text += std::string(static_cast<std::size_t>(2 * depth), ' ') + "00000000-ffffffff : x\n";
    auto tree = read_iomem("deep", text);
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree.value().entries.back().depth, 1999u);
}

}  // namespace
}  // namespace bootmap
