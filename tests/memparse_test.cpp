#include <gtest/gtest.h>

#include "grammars/memparse.hpp"

namespace bootmap::grammars {
namespace {

struct Case {
    const char* input;
    std::uint64_t value;
    std::size_t consumed;
};

// The edge-case table of spec part A §1, which restates lib/cmdline.c memparse().
TEST(Memparse, MatchesTheKernelOnEveryEdgeCase) {
    const Case cases[] = {
        {"1G", 0x40000000, 2},       {"0x40000000", 0x40000000, 10}, {"010M", 0x800000, 4}, {"08G", 0, 1},
        {"0x", 0, 1},                {"0xG", 0, 1},                  {"G", 0, 1},           {"k", 0, 1},
        {"-1G", 0, 0},               {"+1G", 0, 0},                  {" 1G", 0, 0},         {"1.5G", 1, 1},
        {"16E", 0, 3},               {"0x1p", 1ull << 50, 4},        {"0x1e", 0x1e, 4},     {"1e", 1ull << 60, 2},
        {"512M!1G", 512ull << 20, 4}, {"", 0, 0},                    {"0", 0, 1},           {"4096", 4096, 4},
    };
    for (const auto& c : cases) {
        const auto r = memparse(c.input);
        EXPECT_EQ(r.value, c.value) << c.input;
        EXPECT_EQ(r.consumed, c.consumed) << c.input;
    }
}

TEST(Memparse, FlagsTheSurprises) {
    EXPECT_TRUE(memparse("010M").octal);
    EXPECT_FALSE(memparse("0").octal);
    EXPECT_TRUE(memparse("16E").wrapped);
    EXPECT_TRUE(memparse("99999999999999999999").wrapped);
    EXPECT_FALSE(memparse("15E").wrapped);
    EXPECT_TRUE(memparse("G").bare_suffix);
    EXPECT_FALSE(memparse("1G").bare_suffix);
    EXPECT_TRUE(memparse("0x1e").hex_e_digit);
    EXPECT_FALSE(memparse("1e").hex_e_digit);
}

}  // namespace
}  // namespace bootmap::grammars
