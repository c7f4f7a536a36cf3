#include <gtest/gtest.h>

#include "core/address.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

TEST(AddrRange, RefusesInvertedAndWrappingRanges) {
    EXPECT_FALSE(AddrRange::from_bounds(PhysAddr{10}, PhysAddr{9}));
    EXPECT_FALSE(AddrRange::from_size(PhysAddr{UINT64_MAX - 1}, ByteSize{2}));
    EXPECT_TRUE(AddrRange::from_size(PhysAddr{UINT64_MAX - 1}, ByteSize{1}));
    EXPECT_FALSE(AddrRange::from_inclusive(PhysAddr{0}, PhysAddr{UINT64_MAX}));
    EXPECT_FALSE(AddrRange::from_inclusive(PhysAddr{0x2000}, PhysAddr{0x1fff}));
}

TEST(AddrRange, InclusiveBoundsBecomeHalfOpen) {
    auto r = AddrRange::from_inclusive(PhysAddr{0x1000}, PhysAddr{0x9fbff});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->end().value(), 0x9fc00u);
    EXPECT_EQ(r->size().bytes(), 0x9ec00u);
    EXPECT_EQ(r->last().value(), 0x9fbffu);
}

TEST(AddrRange, ContainmentAndOverlap) {
    auto outer = *AddrRange::from_bounds(PhysAddr{0x1000}, PhysAddr{0x3000});
    auto inner = *AddrRange::from_bounds(PhysAddr{0x1000}, PhysAddr{0x2000});
    auto touching = *AddrRange::from_bounds(PhysAddr{0x3000}, PhysAddr{0x4000});
    EXPECT_TRUE(outer.contains(inner));
    EXPECT_FALSE(inner.contains(outer));
    EXPECT_FALSE(outer.overlaps(touching));  // half-open: sharing an end point is not overlap
    EXPECT_EQ(outer.intersect(inner), inner);
    EXPECT_FALSE(outer.intersect(touching));
}

TEST(HumanSize, ExactUnitsAndFractions) {
    EXPECT_EQ(human_size(ByteSize{0}), "0 B");
    EXPECT_EQ(human_size(ByteSize{1023}), "1023 B");
    EXPECT_EQ(human_size(ByteSize{512ull << 20}), "512 MiB");
    EXPECT_EQ(human_size(ByteSize{1536}), "1536 B");  // exact in the smaller unit beats a rounded fraction
    EXPECT_EQ(human_size(ByteSize{(4ull << 30) - (1ull << 20)}), "4095 MiB");
    EXPECT_EQ(human_size(ByteSize{18176ull << 10}), "17.75 MiB");
    EXPECT_EQ(hex(PhysAddr{0}), "0x0");  // the kernel's %#llx prints 0x0, unlike glibc
    EXPECT_EQ(mem_range(*AddrRange::from_bounds(PhysAddr{0x100000}, PhysAddr{0x40000000})), "[mem 0x00100000-0x3fffffff]");
}

}  // namespace
}  // namespace bootmap
