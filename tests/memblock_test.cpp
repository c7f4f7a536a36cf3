// memblock: the scenarios of the kernel's own tools/testing/memblock suite, restated, and a byte
// bitmap reference that the real model must agree with on thousands of random layouts.

#include <gtest/gtest.h>

#include <random>

#include "kernel/memblock.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t K = 1024, M = 1024 * K, G = 1024 * M;
constexpr std::uint64_t kCache = 64;  // SMP_CACHE_BYTES

Memblock fresh() { return Memblock(KernelProfile{}); }

std::string invariants(const MemblockType& t) {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < t.regions.size(); ++i) {
        const auto& r = t.regions[i];
        if (r.size == 0) return "empty region";
        total += r.size;
        if (i > 0) {
            const auto& p = t.regions[i - 1];
            if (p.end() > r.base) return "overlap or unsorted";
            if (p.end() == r.base && p.nid == r.nid && p.flags == r.flags) return "unmerged neighbours";
        }
    }
    if (total != t.total_size) return "total_size mismatch";
    return {};
}

TEST(MemblockBasic, FreshState) {
    auto mb = fresh();
    EXPECT_TRUE(mb.memory().regions.empty());
    EXPECT_EQ(mb.memory().max, 128u);
    EXPECT_EQ(mb.reserved().name, "reserved");
    EXPECT_FALSE(mb.bottom_up());
    EXPECT_EQ(mb.current_limit(), kAllocAnywhere);
}

TEST(MemblockBasic, AddAndAddNode) {
    auto mb = fresh();
    mb.add(1 * G, 4 * M);
    ASSERT_EQ(mb.memory().regions.size(), 1u);
    EXPECT_EQ(mb.memory().total_size, 4 * M);
    auto nb = fresh();
    nb.add_node(1 * M, 16 * M, 1, memblock_flag::hotplug);
    EXPECT_EQ(nb.memory().regions[0].nid, 1);
    EXPECT_EQ(nb.memory().regions[0].flags, memblock_flag::hotplug);
}

TEST(MemblockBasic, AddOverlappingAndInsideAndBetween) {
    auto a = fresh();
    a.add(512 * M, 1 * G);
    a.add(256 * M, 512 * M);
    ASSERT_EQ(a.memory().regions.size(), 1u);
    EXPECT_EQ(a.memory().regions[0].base, 256 * M);
    EXPECT_EQ(a.memory().total_size, 1 * G + 256 * M);
    auto b = fresh();
    b.add(8 * M, 32 * M);
    b.add(16 * M, 1 * M);
    EXPECT_EQ(b.memory().regions, (std::vector<MemblockRegion>{{8 * M, 32 * M, 0, 1024}}));
    auto c = fresh();
    c.add(1 * G, 8 * K);
    c.add(1 * G + 16 * K, 8 * K);
    c.add(1 * G + 8 * K, 8 * K);
    ASSERT_EQ(c.memory().regions.size(), 1u);
    EXPECT_EQ(c.memory().regions[0].size, 24 * K);
}

TEST(MemblockBasic, AddNearTheTopIsCapped) {
    auto mb = fresh();
    mb.add(kPhysAddrMax - M, 2 * M);
    EXPECT_EQ(mb.memory().regions[0].size, M);
}

TEST(MemblockBasic, RemoveSplitsAndTrims) {
    auto a = fresh();
    a.add(1 * M, 32 * M);
    a.remove(16 * M, 1 * M);
    EXPECT_EQ(a.memory().regions, (std::vector<MemblockRegion>{{1 * M, 15 * M, 0, 1024}, {17 * M, 16 * M, 0, 1024}}));
    EXPECT_EQ(a.memory().total_size, 31 * M);
    auto b = fresh();
    b.add(16 * M, 32 * M);
    b.add(64 * M, 64 * M);
    b.remove(32 * M, 64 * M);
    EXPECT_EQ(b.memory().regions, (std::vector<MemblockRegion>{{16 * M, 16 * M, 0, 1024}, {96 * M, 32 * M, 0, 1024}}));
    auto c = fresh();
    c.add(2 * K, 4 * K);
    c.remove(2 * K, 4 * K);
    EXPECT_TRUE(c.memory().regions.empty());
    EXPECT_EQ(c.memory().total_size, 0u);
}

TEST(MemblockBasic, FreeReserved) {
    auto mb = fresh();
    mb.reserve(4 * M, 1 * M);
    mb.reserve(8 * M, 1 * M);
    mb.phys_free(4 * M, 1 * M);
    EXPECT_EQ(mb.reserved().regions, (std::vector<MemblockRegion>{{8 * M, 1 * M, 0, 1024}}));
}

TEST(MemblockBasic, DoublingTheReservedArrayPlacesItOutsideThePendingRange) {
    auto mb = fresh();
    mb.allow_resize();
    const std::uint64_t base = 1 * G, size = 128 * 64 * K + 1 * M;
    mb.add(base, size);
    for (std::uint64_t i = 0; i < 128; ++i) mb.reserve(base + i * 64 * K, 32 * K);
    ASSERT_EQ(mb.reserved().regions.size(), 128u);
    const std::uint64_t extra = base + 128 * 64 * K;
    mb.reserve(extra, 32 * K);
    EXPECT_EQ(mb.reserved().max, 256u);
    EXPECT_EQ(mb.reserved().regions.size(), 130u);  // 129 and the new array itself
    const std::uint64_t array_bytes = 8 * K;         // PAGE_ALIGN(256 * 24)
    EXPECT_EQ(mb.reserved().total_size, 129 * 32 * K + array_bytes);
    ASSERT_TRUE(mb.reserved().array_block);
    EXPECT_EQ(mb.reserved().array_block->first, base + size - array_bytes);  // top-down, at the top of memory
    EXPECT_EQ(invariants(mb.reserved()), "");
}

TEST(MemblockBasic, DoublingIsRefusedBeforeResizeIsAllowed) {
    auto mb = fresh();
    mb.add(0, 64 * M);
    for (std::uint64_t i = 0; i < 128; ++i) mb.reserve(i * 64 * K, 32 * K);
    EXPECT_FALSE(mb.reserve(128 * 64 * K, 32 * K));
    ASSERT_FALSE(mb.messages().empty());
    EXPECT_EQ(mb.messages().back(), "memblock: Failed to double reserved array from 128 to 256 entries !");
}

TEST(MemblockBasic, TrimMemory) {
    const std::uint64_t A = 4 * K;
    auto a = fresh();
    a.add(A, 2 * A);
    a.add(4 * A, A - 2);
    a.trim_memory(A);
    EXPECT_EQ(a.memory().regions.size(), 1u);
    auto b = fresh();
    b.add(A, 2 * A);
    b.add(4 * A + 2, 2 * A - 2);
    b.trim_memory(A);
    ASSERT_EQ(b.memory().regions.size(), 2u);
    EXPECT_EQ(b.memory().regions[1].base, 5 * A);
    EXPECT_EQ(b.memory().regions[1].size, A);
}

// The test DRAM of the kernel suite: one region of 32 KiB.
constexpr std::uint64_t B = 0x10000000, kMemSize = 32 * K, E = B + kMemSize;

TEST(MemblockAlloc, TopDownSimpleAndMisalignedNeighbour) {
    auto mb = fresh();
    mb.add(B, kMemSize);
    EXPECT_EQ(mb.alloc_try_nid(2, kCache, 0, kAllocAccessible, kNumaNoNode), E - kCache);
    auto nb = fresh();
    nb.add(B, kMemSize);
    nb.reserve(E - 2, 2);
    EXPECT_EQ(nb.alloc_try_nid(16, 2 * kCache, 0, kAllocAccessible, kNumaNoNode), E - 2 * kCache);
    EXPECT_EQ(nb.reserved().regions.size(), 2u);
}

TEST(MemblockAlloc, TopDownSecondFitMerges) {
    auto mb = fresh();
    mb.add(B, kMemSize);
    mb.reserve(E - 512, 512);
    mb.reserve(E - 1024, 256);
    EXPECT_EQ(mb.alloc_try_nid(1 * K, kCache, 0, kAllocAccessible, kNumaNoNode), E - 2048);
    EXPECT_EQ(mb.reserved().regions.size(), 2u);
}

TEST(MemblockAlloc, TopDownFirstFitMergesWithTheReservationBelow) {
    auto mb = fresh();
    mb.add(B, kMemSize);
    mb.reserve(E - 512 - kCache, kCache);
    EXPECT_EQ(mb.alloc_try_nid(512, kCache, 0, kAllocAccessible, kNumaNoNode), E - 512);
    ASSERT_EQ(mb.reserved().regions.size(), 1u);
    EXPECT_EQ(mb.reserved().regions[0].base, E - 512 - kCache);
}

TEST(MemblockAlloc, BottomUpAndMinAddressFallback) {
    auto mb = fresh();
    mb.add(B, kMemSize);
    mb.set_bottom_up(true);
    EXPECT_EQ(mb.alloc_try_nid(2, kCache, 0, kAllocAccessible, kNumaNoNode), B);
    auto from = fresh();
    from.add(B, kMemSize);
    // alloc_from(32, C, min = E - 16): nothing fits above min, so min is dropped.
    EXPECT_EQ(from.alloc_try_nid(32, kCache, E - 16, kAllocAccessible, kNumaNoNode), E - kCache);
}

TEST(MemblockAlloc, NoSpaceAndNoMemory) {
    auto mb = fresh();
    mb.add(B, kMemSize);
    mb.reserve(B, kMemSize);
    EXPECT_EQ(mb.alloc_try_nid(kCache, kCache, 0, kAllocAccessible, kNumaNoNode), 0u);
    auto none = fresh();
    EXPECT_EQ(none.alloc_try_nid(kCache, kCache, 0, kAllocAccessible, kNumaNoNode), 0u);
}

// The kernel suite's NUMA layout: eight consecutive nodes with these fractions (basis points).
Memblock numa_layout() {
    auto mb = fresh();
    const std::uint64_t fracs[8] = {2500, 625, 1250, 1250, 625, 625, 2500, 625};
    std::uint64_t at = B;
    for (int n = 0; n < 8; ++n) {
        const std::uint64_t size = kMemSize * fracs[n] / 10000;
        mb.add_node(at, size, n, memblock_flag::hotplug);
        at += size;
    }
    return mb;
}

TEST(MemblockAlloc, NumaNodePreferenceAndFallback) {
    auto mb = numa_layout();
    const auto& r = mb.memory().regions;
    const MemblockRegion node3 = r[3];
    EXPECT_EQ(mb.alloc_try_nid(node3.size / 4, kCache, B, E, 3), node3.end() - node3.size / 4);
    auto fb = numa_layout();
    const MemblockRegion node1 = fb.memory().regions[1];
    const MemblockRegion node6 = fb.memory().regions[6];
    EXPECT_EQ(fb.alloc_try_nid(2 * node1.size, kCache, B, E, 1), node6.end() - 2 * node1.size);
    auto exact = numa_layout();
    EXPECT_EQ(exact.alloc_try_nid(2 * node1.size, kCache, B, E, 1, true), 0u);
}

TEST(MemblockLimits, EnforceAndRemoveMap) {
    auto a = fresh();
    a.add(0, 1 * G);
    a.add(2 * G, 1 * G);
    a.reserve(2 * G + 512 * M, 1 * M);
    a.enforce_memory_limit(1 * G + 256 * M);
    EXPECT_EQ(a.end_of_dram(), 2 * G + 256 * M);
    EXPECT_TRUE(a.reserved().regions.empty());
    auto b = fresh();
    b.add(0, 1 * G);
    b.add(2 * G, 1 * G);
    b.mark(2 * G + 512 * M, 1 * M, memblock_flag::nomap);
    b.mem_limit_remove_map(512 * M);
    ASSERT_EQ(b.memory().regions.size(), 2u);  // the no-map region survives
    EXPECT_EQ(b.memory().regions[1].flags, memblock_flag::nomap);
}

// The slow reference: one byte, one slot.
struct Reference {
    std::vector<int> memory;   // region id (-1 none)
    std::vector<bool> reserved;
    explicit Reference(std::size_t n) : memory(n, -1), reserved(n, false) {}

    std::optional<std::uint64_t> find(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, bool bottom_up) const {
        start = std::max<std::uint64_t>(start, 4096);
        end = std::min<std::uint64_t>(std::max(start, end), memory.size());
        // run[i]: how many bytes from i on are free, in the same memory region, below `end`.
        std::vector<std::uint64_t> run(memory.size() + 1, 0);
        for (std::uint64_t i = memory.size(); i-- > 0;) {
            const bool free = i < end && memory[i] >= 0 && !reserved[i];
            run[i] = free ? 1 + (i + 1 < memory.size() && memory[i + 1] == memory[i] ? run[i + 1] : 0) : 0;
        }
        std::optional<std::uint64_t> best;
        for (std::uint64_t a = (start + align - 1) / align * align; a + size <= end; a += align) {
            if (run[a] < size) continue;
            if (bottom_up) return a;
            best = a;
        }
        return best;
    }
};

TEST(MemblockReference, RandomLayoutsAgreeWithTheByteReference) {
    std::mt19937_64 rng(99);
    constexpr std::uint64_t kSpace = 16 * K;
    for (int round = 0; round < 1000; ++round) {
        Memblock mb(KernelProfile{});
        Reference ref(kSpace);
        // Disjoint memory regions with gaps between them, so each is its own free run.
        std::uint64_t at = rng() % 2048;
        for (int id = 0; at < kSpace; ++id) {
            const std::uint64_t len = std::min<std::uint64_t>(256 + rng() % 4096, kSpace - at);
            mb.add(at, len);
            for (std::uint64_t i = at; i < at + len; ++i) ref.memory[i] = id;
            at += len + 1 + rng() % 512;
        }
        const bool bottom_up = rng() % 2;
        mb.set_bottom_up(bottom_up);
        for (int step = 0; step < 30; ++step) {
            const std::uint64_t op = rng() % 3;
            const std::uint64_t a = rng() % kSpace, len = 1 + rng() % 1024;
            if (op == 0) {
                mb.reserve(a, len);
                for (std::uint64_t i = a; i < std::min(a + len, kSpace); ++i) ref.reserved[i] = true;
            } else if (op == 1) {
                mb.phys_free(a, len);
                for (std::uint64_t i = a; i < std::min(a + len, kSpace); ++i) ref.reserved[i] = false;
            } else {
                const std::uint64_t align = 1ull << (rng() % 8);
                const std::uint64_t lo = rng() % kSpace, hi = lo + rng() % kSpace;
                const auto expected = ref.find(len, align, lo, hi, bottom_up);
                const std::uint64_t got = mb.find_in_range_node(len, align, lo, hi, kNumaNoNode, 0);
                ASSERT_EQ(got, expected.value_or(0)) << "round " << round << " step " << step;
                if (got) {
                    mb.reserve(got, len);
                    for (std::uint64_t i = got; i < got + len; ++i) ref.reserved[i] = true;
                }
            }
            ASSERT_EQ(invariants(mb.reserved()), "") << round;
            ASSERT_EQ(invariants(mb.memory()), "") << round;
        }
        std::vector<bool> got(kSpace, false);
        for (const auto& r : mb.reserved().regions)
            for (std::uint64_t i = r.base; i < std::min(r.end(), kSpace); ++i) got[i] = true;
        ASSERT_EQ(got, ref.reserved) << "round " << round;
    }
}

// Adding merges only around the new pieces; that equals the kernel's whole-array merge as long as
// every operation leaves the array merged, which flags and node changes must keep true too.
TEST(MemblockReference, NodeAndFlagChangesKeepTheArraysMerged) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 500; ++round) {
        Memblock mb(KernelProfile{});
        mb.allow_resize();
        for (int step = 0; step < 60; ++step) {
            const std::uint64_t a = (rng() % 4096) * 4 * K, len = (1 + rng() % 256) * 4 * K;
            const int nid = static_cast<int>(rng() % 3);
            switch (rng() % 6) {
                case 0: mb.add_node(a, len, nid); break;
                case 1: mb.set_node(a, len, nid); break;
                case 2: mb.mark(a, len, memblock_flag::nomap); break;
                case 3: mb.clear(a, len, memblock_flag::nomap); break;
                case 4: mb.reserve(a, len); break;
                default: mb.remove(a, len); break;
            }
            ASSERT_EQ(invariants(mb.memory()), "") << round << " step " << step;
            ASSERT_EQ(invariants(mb.reserved()), "") << round << " step " << step;
        }
    }
}

}  // namespace
}  // namespace bootmap
