#include <gtest/gtest.h>

#include "grammars/crashkernel_param.hpp"

namespace bootmap::grammars {
namespace {

constexpr std::uint64_t M = 1ull << 20, G = 1ull << 30;

TEST(Crashkernel, SimpleAndOffset) {
    auto s = parse_crashkernel("quiet crashkernel=256M", 2 * G, CrashkernelKind::plain);
    EXPECT_TRUE(s.found && s.valid);
    EXPECT_EQ(s.size, 256 * M);
    auto at = parse_crashkernel("crashkernel=512M@16M ro", 2 * G, CrashkernelKind::plain);
    EXPECT_EQ(at.base, 16 * M);
    auto bad = parse_crashkernel("crashkernel=512MB", 2 * G, CrashkernelKind::plain);
    EXPECT_FALSE(bad.valid);
    EXPECT_EQ(bad.warning, "crashkernel: unrecognized char: B");
    EXPECT_EQ(bad.error_offset, 16u);
}

TEST(Crashkernel, RangeListOnRoundedRam) {
    // 2047 MiB rounds up to 2 GiB, which falls in "1G-".
    auto s = parse_crashkernel("crashkernel=512M-1G:64M,1G-:128M", 2047 * M, CrashkernelKind::plain);
    EXPECT_TRUE(s.valid);
    EXPECT_TRUE(s.range_list);
    EXPECT_EQ(s.size, 128 * M);
    auto none = parse_crashkernel("crashkernel=4G-:256M", 2047 * M, CrashkernelKind::plain);
    EXPECT_TRUE(none.valid);
    EXPECT_TRUE(none.zero_from_ranges);
    EXPECT_EQ(none.warning, "crashkernel size resulted in zero bytes");
    EXPECT_EQ(parse_crashkernel("crashkernel=1G-512M:64M", 2 * G, CrashkernelKind::plain).warning, "crashkernel: end <= start");
    EXPECT_EQ(parse_crashkernel("crashkernel=1G:64M", 2 * G, CrashkernelKind::plain).warning, "crashkernel: '-' expected");
    EXPECT_EQ(parse_crashkernel("crashkernel=1G-2G;64M,2G-:1M", 2 * G, CrashkernelKind::plain).warning, "crashkernel: ':' expected");
    EXPECT_EQ(parse_crashkernel("crashkernel=1G-:4G", 2 * G, CrashkernelKind::plain).warning, "crashkernel: invalid size");
    auto off = parse_crashkernel("crashkernel=1G-:128M@64M", 2 * G, CrashkernelKind::plain);
    EXPECT_EQ(off.base, 64 * M);
}

TEST(Crashkernel, LastOfEachKindAndSuffixes) {
    const std::string cmdline = "crashkernel=128M crashkernel=512M,high crashkernel=256M crashkernel=72M,low";
    EXPECT_EQ(parse_crashkernel(cmdline, 8 * G, CrashkernelKind::plain).size, 256 * M);
    EXPECT_EQ(parse_crashkernel(cmdline, 8 * G, CrashkernelKind::high).size, 512 * M);
    EXPECT_EQ(parse_crashkernel(cmdline, 8 * G, CrashkernelKind::low).size, 72 * M);
    EXPECT_FALSE(parse_crashkernel("ro quiet", 8 * G, CrashkernelKind::plain).found);
    // 6.1 has no ",cma": it is a plain value with a stray character.
    EXPECT_EQ(parse_crashkernel("crashkernel=512M,cma", 8 * G, CrashkernelKind::plain).warning, "crashkernel: unrecognized char: ,");
}

}  // namespace
}  // namespace bootmap::grammars
