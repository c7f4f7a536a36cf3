#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/range_map.hpp"

namespace bootmap {
namespace {

// The slow reference: one label slot per byte of a small address space.
struct ByteReference {
    std::vector<int> label;  // -1 = unlabelled
    explicit ByteReference(std::size_t size) : label(size, -1) {}
    void assign(std::uint64_t b, std::uint64_t e, int l) {
        for (auto i = b; i < e; ++i) label[i] = l;
    }
};

TEST(RangeMap, AgreesWithByteReferenceOnRandomAssignments) {
    constexpr std::uint64_t kSpace = 256;
    std::mt19937_64 rng(12345);
    for (int round = 0; round < 300; ++round) {
        RangeMap<int> map;
        ByteReference ref(kSpace);
        for (int step = 0; step < 40; ++step) {
            std::uint64_t b = rng() % kSpace, e = rng() % (kSpace + 1);
            if (b > e) std::swap(b, e);
            const int label = static_cast<int>(rng() % 4);
            map.assign(*AddrRange::from_bounds(PhysAddr{b}, PhysAddr{e}), label);
            ref.assign(b, e, label);
            ASSERT_EQ(map.check_invariants(), "") << "round " << round << " step " << step;
        }
        for (std::uint64_t a = 0; a < kSpace; ++a) {
            auto got = map.label_at(PhysAddr{a});
            if (ref.label[a] < 0) {
                EXPECT_FALSE(got) << "byte " << a;
            } else {
                ASSERT_TRUE(got) << "byte " << a;
                EXPECT_EQ(*got, ref.label[a]) << "byte " << a;
            }
        }
        std::uint64_t gap_bytes = 0;
        for (const auto& g : map.gaps(*AddrRange::from_bounds(PhysAddr{0}, PhysAddr{kSpace}))) gap_bytes += g.size().bytes();
        EXPECT_EQ(gap_bytes, static_cast<std::uint64_t>(std::count(ref.label.begin(), ref.label.end(), -1)));
    }
}

TEST(RangeMap, MergesEqualNeighboursAndSplitsOnOverwrite) {
    RangeMap<char> map;
    map.assign(*AddrRange::from_bounds(PhysAddr{0}, PhysAddr{100}), 'a');
    map.assign(*AddrRange::from_bounds(PhysAddr{100}, PhysAddr{200}), 'a');
    EXPECT_EQ(map.span_count(), 1u);
    map.assign(*AddrRange::from_bounds(PhysAddr{50}, PhysAddr{60}), 'b');
    EXPECT_EQ(map.span_count(), 3u);
    map.assign(*AddrRange::from_bounds(PhysAddr{50}, PhysAddr{60}), 'a');
    EXPECT_EQ(map.span_count(), 1u);
    EXPECT_EQ(map.check_invariants(), "");
}

TEST(RangeMap, HandlesTheTopOfTheAddressSpace) {
    RangeMap<int> map;
    map.assign(*AddrRange::from_bounds(PhysAddr{UINT64_MAX - 10}, PhysAddr{UINT64_MAX}), 1);
    EXPECT_EQ(map.label_at(PhysAddr{UINT64_MAX - 1}), 1);
    EXPECT_FALSE(map.label_at(PhysAddr{UINT64_MAX}));
}

}  // namespace
}  // namespace bootmap
