#include <gtest/gtest.h>

#include <random>

#include "kernel/e820.hpp"

namespace bootmap {
namespace {

E820Table table_of(std::initializer_list<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> entries) {
    E820Table t;
    for (auto [addr, size, type] : entries) t.entries.push_back(E820Entry{PhysAddr{addr}, ByteSize{size}, type, {}});
    return t;
}

std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> flat(const E820Table& t) {
    std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> out;
    for (const auto& e : t.entries) out.emplace_back(e.addr.value(), e.size.bytes(), e.type);
    return out;
}

using V = std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>>;

TEST(E820Sanitize, HigherTypeWinsOverlaps) {
    E820Model m(table_of({{0x0, 0x1000, 1}, {0x800, 0x1000, 2}, {0x2000, 0x1000, 1}}), KernelProfile{});
    ASSERT_TRUE(m.update_table());
    EXPECT_EQ(flat(m.table()), (V{{0x0, 0x800, 1}, {0x800, 0x1000, 2}, {0x2000, 0x1000, 1}}));
}

TEST(E820Sanitize, MergesAdjacentEqualTypesButNeverPramOrSoftReserved) {
    E820Model ram(table_of({{0x0, 0x1000, 1}, {0x1000, 0x1000, 1}}), KernelProfile{});
    ASSERT_TRUE(ram.update_table());
    EXPECT_EQ(flat(ram.table()), (V{{0x0, 0x2000, 1}}));
    E820Model pram(table_of({{0x0, 0x1000, 12}, {0x1000, 0x1000, 12}}), KernelProfile{});
    ASSERT_TRUE(pram.update_table());
    EXPECT_EQ(flat(pram.table()), (V{{0x0, 0x1000, 12}, {0x1000, 0x1000, 12}}));
    // EFI_MEMORY_SP ranges stay one entry per firmware range: each becomes its own hmem device.
    constexpr std::uint32_t sp = e820_type::soft_reserved;
    E820Model soft(table_of({{0x100000000, 0x40000000, sp}, {0x140000000, 0x40000000, sp}}), KernelProfile{});
    ASSERT_TRUE(soft.update_table());
    EXPECT_EQ(flat(soft.table()), (V{{0x100000000, 0x40000000, sp}, {0x140000000, 0x40000000, sp}}));
}

TEST(E820Sanitize, RamOverReservedStaysReservedAndSortsOutOfOrderInput) {
    E820Model m(table_of({{0x100000, 0x100000, 2}, {0x0, 0x400000, 1}}), KernelProfile{});
    ASSERT_TRUE(m.update_table());
    EXPECT_EQ(flat(m.table()), (V{{0x0, 0x100000, 1}, {0x100000, 0x100000, 2}, {0x200000, 0x200000, 1}}));
}

TEST(E820Sanitize, RefusesTinyAndWrappingTables) {
    E820Model one(table_of({{0x0, 0x1000, 1}}), KernelProfile{});
    EXPECT_FALSE(one.update_table());
    E820Model wraps(table_of({{0x0, 0x1000, 1}, {UINT64_MAX - 0xfff, 0x2000, 2}}), KernelProfile{});
    EXPECT_FALSE(wraps.update_table());
    EXPECT_EQ(wraps.table().entries.size(), 2u);  // untouched
}

TEST(E820Sanitize, DropsEmptyEntriesAndHoles) {
    E820Model m(table_of({{0x0, 0x0, 1}, {0x1000, 0x1000, 1}, {0x5000, 0x1000, 2}}), KernelProfile{});
    ASSERT_TRUE(m.update_table());
    EXPECT_EQ(flat(m.table()), (V{{0x1000, 0x1000, 1}, {0x5000, 0x1000, 2}}));
}

// The slow reference: the type of every 256-byte granule is the largest type covering it.
TEST(E820Sanitize, AgreesWithAGranuleReferenceOnRandomTables) {
    std::mt19937_64 rng(7);
    const std::uint32_t types[] = {1, 2, 3, 4, 5, 7, 12, 0xefffffff};
    for (int round = 0; round < 2000; ++round) {
        E820Table t;
        const int n = 2 + static_cast<int>(rng() % 8);
        std::vector<std::uint32_t> ref(64, 0);
        for (int i = 0; i < n; ++i) {
            const std::uint64_t a = rng() % 64, len = rng() % 16;
            const std::uint32_t type = types[rng() % 8];
            t.entries.push_back(E820Entry{PhysAddr{a * 256}, ByteSize{len * 256}, type, {}});
            for (std::uint64_t g = a; g < std::min<std::uint64_t>(a + len, 64); ++g) ref[g] = std::max(ref[g], type);
        }
        E820Model m(t, KernelProfile{});
        ASSERT_TRUE(m.update_table());
        std::vector<std::uint32_t> got(64, 0);
        std::uint64_t previous_end = 0;
        std::uint32_t previous_type = 0;
        for (const auto& e : m.table().entries) {
            ASSERT_GE(e.addr.value(), previous_end) << "sorted, non-overlapping";
            ASSERT_GT(e.size.bytes(), 0u);
            if (e.addr.value() == previous_end && e.type == previous_type)
                ASSERT_TRUE(e.type == 12 || e.type == 0xefffffff) << "only non-mergeable types stay split";
            for (std::uint64_t g = e.addr.value() / 256; g < e.end().value() / 256 && g < 64; ++g) got[g] = e.type;
            previous_end = e.end().value();
            previous_type = e.type;
        }
        ASSERT_EQ(got, ref) << "round " << round;
    }
}

TEST(E820Edits, UpdateSplitsAnEntryAroundTheRange) {
    E820Model m(table_of({{0x0, 0x10000, 1}, {0x100000, 0x100000, 2}}), KernelProfile{});
    auto edit = m.range_update(PhysAddr{0x4000}, ByteSize{0x1000}, 1, 2);
    EXPECT_EQ(edit.bytes_changed, 0x1000u);
    ASSERT_TRUE(m.update_table());
    EXPECT_EQ(flat(m.table()), (V{{0x0, 0x4000, 1}, {0x4000, 0x1000, 2}, {0x5000, 0xb000, 1}, {0x100000, 0x100000, 2}}));
}

TEST(E820Edits, RemoveOnlyTouchesTheCheckedType) {
    E820Model m(table_of({{0x0, 0x80000000, 1}, {0x80000000, 0x1000, 2}, {0x100000000, 0x80000000, 1}}), KernelProfile{});
    auto edit = m.range_remove(PhysAddr{0x60000000}, ByteSize{UINT64_MAX - 0x60000000}, 1, true);
    EXPECT_EQ(edit.last.value(), 0xfffffffffffffffeu);  // as the kernel prints for mem=
    EXPECT_EQ(edit.bytes_changed, 0x20000000u + 0x80000000u);
    ASSERT_TRUE(m.update_table());
    EXPECT_EQ(flat(m.table()), (V{{0x0, 0x60000000, 1}, {0x80000000, 0x1000, 2}}));
}

TEST(E820Edits, TrimBiosRangeReservesPageZeroAndDropsTheBiosHole) {
    E820Model m(table_of({{0x0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, 0x7fee0000, 1}}), KernelProfile{});
    m.trim_bios_range();
    EXPECT_EQ(flat(m.table()), (V{{0x0, 0x1000, 2}, {0x1000, 0x9ec00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, 0x7fee0000, 1}}));
}

TEST(E820Types, WordsAndNamesRoundTrip) {
    for (std::uint32_t t : {1u, 2u, 3u, 4u, 5u, 7u, 12u, 0xefffffffu}) {
        EXPECT_EQ(e820_type_from_word(e820_type_word(t)), t) << t;
        EXPECT_EQ(e820_type_from_name(e820_type_name(t)), t) << t;
    }
    EXPECT_EQ(e820_type_word(20), "type 20");
    EXPECT_EQ(e820_type_from_word("type 20"), 20u);
    EXPECT_EQ(e820_type_name(20), "Unknown E820 type");
    EXPECT_EQ(e820_max_entries(KernelProfile{}), 128u + 3u * 1024u);
}

}  // namespace
}  // namespace bootmap
