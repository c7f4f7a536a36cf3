#include <gtest/gtest.h>

#include "readers/iomem_reader.hpp"
#include "report/iomem_format.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

// Every real dump and every kernel capture prints back byte for byte: the reader loses nothing the
// kernel's format carries.
TEST(IomemRoundTrip, EveryFixtureIsByteIdentical) {
    std::size_t checked = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel", "iomem/rules"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            const std::string text = test::slurp(entry.path());
            auto tree = read_iomem(entry.path().string(), text);
            ASSERT_TRUE(tree) << format_input_error(tree.error());
            EXPECT_EQ(format_iomem(tree.value()), text) << entry.path();
            ++checked;
        }
    }
    EXPECT_GE(checked, 56u);
}

TEST(IomemRoundTrip, PrintsAtLeastEightDigitsAndCapsIndentation) {
    auto tree = read_iomem("t", "0-fff : Reserved\n  100-1ff : x\n");
    ASSERT_TRUE(tree);
    EXPECT_EQ(format_iomem(tree.value()), "00000000-00000fff : Reserved\n  00000100-000001ff : x\n");
}

}  // namespace
}  // namespace bootmap
