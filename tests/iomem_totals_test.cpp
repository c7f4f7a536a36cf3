#include <gtest/gtest.h>

#include <tuple>

#include "analysis/iomem_totals.hpp"
#include "readers/iomem_reader.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

// Expected figures are written as sums of the fixture's own lines (end - start + 1), worked out by
// hand from the file, never copied from bootmap's output.
struct Expected {
    const char* file;
    std::uint64_t span_end;
    std::uint64_t system_ram = 0, ram_reserved = 0, hotplug_ram = 0, soft_reserved = 0, persistent_memory = 0, firmware_reserved = 0,
                  device = 0, hole = 0;
    std::size_t hole_count = 0;
};

constexpr std::uint64_t len(std::uint64_t first, std::uint64_t last) { return last - first + 1; }

IomemTotals totals_of(const char* file) {
    const auto path = test::fixtures() / "iomem" / file;
    auto tree = read_iomem(path.string(), test::slurp(path));
    EXPECT_TRUE(tree) << path;
    return iomem_totals(tree.value());
}

void expect_totals(const Expected& x) {
    SCOPED_TRACE(x.file);
    const IomemTotals t = totals_of(x.file);
    EXPECT_EQ(t.span.end().value(), x.span_end);
    EXPECT_EQ(t.of(MemoryKind::system_ram).bytes(), x.system_ram);
    EXPECT_EQ(t.of(MemoryKind::ram_reserved).bytes(), x.ram_reserved);
    EXPECT_EQ(t.of(MemoryKind::hotplug_ram).bytes(), x.hotplug_ram);
    EXPECT_EQ(t.of(MemoryKind::soft_reserved).bytes(), x.soft_reserved);
    EXPECT_EQ(t.of(MemoryKind::persistent_memory).bytes(), x.persistent_memory);
    EXPECT_EQ(t.of(MemoryKind::firmware_reserved).bytes(), x.firmware_reserved);
    EXPECT_EQ(t.of(MemoryKind::device).bytes(), x.device);
    EXPECT_EQ(t.of(MemoryKind::hole).bytes(), x.hole);
    EXPECT_EQ(t.holes.size(), x.hole_count);
    std::uint64_t sum = 0;
    for (const auto& b : t.bytes) sum += b.bytes();
    EXPECT_EQ(sum, t.span.size().bytes()) << "totals must reconcile with the span";
}

TEST(IomemTotals, X86KernelCaptureWithLegacyPmem) {
    Expected x{"kernel/x86-memmap-pmem.iomem", 0x10000000000};
    x.system_ram = len(0x1000, 0x9fbff) + len(0x100000, 0x3fffffff) + len(0x60000000, 0x7ffdefff);
    x.persistent_memory = len(0x40000000, 0x5fffffff);
    x.firmware_reserved = len(0, 0xfff) + len(0x9fc00, 0x9ffff) + len(0xf0000, 0xfffff) + len(0x7ffdf000, 0x7fffffff) +
                          len(0xb0000000, 0xbfffffff) + len(0xfed1c000, 0xfed1ffff) + len(0xfffc0000, 0xffffffff) +
                          len(0xfd00000000, 0xffffffffff);
    x.device = len(0xa0000, 0xbffff) + len(0xc0000, 0xc9bff) + len(0xca000, 0xca5ff) + len(0x80000000, 0xafffffff) +
               len(0xc0000000, 0xfebfffff) + len(0xfec00000, 0xfec003ff) + len(0xfed00000, 0xfed003ff) + len(0xfee00000, 0xfee00fff) +
               len(0x100000000, 0x8ffffffff);
    x.hole = len(0xc9c00, 0xc9fff) + len(0xca600, 0xeffff) + len(0xfec00400, 0xfecfffff) + len(0xfed00400, 0xfed1bfff) +
             len(0xfed20000, 0xfedfffff) + len(0xfee01000, 0xfffbffff) + len(0x900000000, 0xfcffffffff);
    x.hole_count = 7;
    expect_totals(x);
}

TEST(IomemTotals, Arm64KernelCaptureWithReservedChildren) {
    Expected x{"kernel/arm64-1G.iomem", 0x10000000000};
    x.ram_reserved = len(0x41860000, 0x41eaffff) + len(0x48000000, 0x480fdfff) + len(0x48200000, 0x482fffff) +
                     len(0x7ac00000, 0x7fbfffff) + len(0x7fc2b000, 0x7fdabfff) + len(0x7fdac000, 0x7fdcafff) +
                     len(0x7fdcd000, 0x7fdcffff) + len(0x7fdd0000, 0x7fdf3fff) + len(0x7fdf4000, 0x7fdfcfff) +
                     len(0x7fdfd000, 0x7fffffff);
    x.system_ram = len(0x40000000, 0x7fffffff) - x.ram_reserved;
    x.device = 3 * 0x1000 + len(0x10000000, 0x3efeffff) + len(0x4010000000, 0x401fffffff) + len(0x8000000000, 0xffffffffff);
    x.hole = 0x10000000000 - x.system_ram - x.ram_reserved - x.device;
    x.hole_count = 7;  // below pl011, pl011..pl031, pl031..pl061, pl061..pcie, pcie..RAM, RAM..ECAM, ECAM..pcie
    expect_totals(x);
}

TEST(IomemTotals, PmemNamespaceBesideDaxKmem) {
    Expected x{"real/pmem-damo-namespace-plus-dax-kmem.excerpt.iomem", 0x340000000};
    x.hotplug_ram = len(0x150000000, 0x33fffffff);
    x.persistent_memory = len(0x140000000, 0x33fffffff) - x.hotplug_ram;
    x.hole = 0x140000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, OldKmemNamingIsHotAddedRam) {
    // Before "System RAM (kmem)", kmem's RAM below dax0.0 was plain "System RAM".
    Expected x{"real/pmem-qemu-devdax-kmem-onlined-128M-aligned.excerpt.iomem", 0x3300000000};
    x.hotplug_ram = len(0x150000000, 0x33fffffff);
    x.persistent_memory = len(0x140000000, 0x14fffffff);
    x.device = len(0x3280000000, 0x32ffffffff);
    x.hole = 0x140000000 + (0x3280000000 - 0x340000000);
    x.hole_count = 2;
    expect_totals(x);
}

TEST(IomemTotals, CxlWindowRegionDaxKmem) {
    Expected x{"real/cxl-huang-ying-window-region-kmem.excerpt.iomem", 0x510000000};
    x.hotplug_ram = len(0x490000000, 0x50fffffff);
    x.hole = 0x490000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, TwoCxlWindowsBackToBack) {
    Expected x{"real/cxl-fujitsu-physical-2-cfmws.excerpt.iomem", 0xa070000000};
    x.hotplug_ram = len(0x2070000000, 0x606fffffff) + len(0x6070000000, 0xa06fffffff);
    x.hole = 0x2070000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, SoftReservedKmemWithoutWindow) {
    Expected x{"real/cxl-soft-reserved-kmem-no-window.excerpt.iomem", 0x70e80000000};
    x.device = len(0xc080000000, 0xc47fffffff);
    x.hotplug_ram = len(0x68e80000000, 0x70e7fffffff);
    x.hole = 0x70e80000000 - x.device - x.hotplug_ram;
    x.hole_count = 2;
    expect_totals(x);
}

TEST(IomemTotals, VirtioMemDriverManagedBlocks) {
    Expected x{"real/virtio-mem-driver-managed.excerpt.iomem", 0x3300000000};
    x.system_ram = len(0x1000, 0x9fbff) + len(0x100000000, 0x13fffffff);
    x.hotplug_ram = len(0x140000000, 0x147ffffff) + len(0x340000000, 0x347ffffff) + len(0x348000000, 0x34fffffff);
    x.firmware_reserved = len(0, 0xfff) + len(0xfffc0000, 0xffffffff);
    x.device = len(0x3280000000, 0x32ffffffff);
    x.hole = 0x3300000000 - x.system_ram - x.hotplug_ram - x.firmware_reserved - x.device;
    x.hole_count = 3;  // Reserved..ROM-top, first virtio-mem block..second, last block..PCI
    expect_totals(x);
}

TEST(IomemTotals, SoftReservedBelowHmem) {
    Expected x{"real/hmem-reparented-soft-reserved-5.10-stable.excerpt.iomem", 0x440000000};
    x.soft_reserved = len(0x340000000, 0x43fffffff);
    x.hole = 0x340000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, TwoPmemRegionsBackToBack) {
    Expected x{"real/pmem-two-namespaces-docs.excerpt.iomem", 0x33fc00000};
    x.persistent_memory = len(0x140000000, 0x23fdfffff) + len(0x23fe00000, 0x33fbfffff);
    x.hole = 0x140000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, LegacyPmemFromMemmapBang) {
    Expected x{"real/memmap-48G-bang-80G-128G-host.excerpt.iomem", 0x2080000000};
    x.system_ram = len(0x100000000, 0x13ffffffff) + len(0x2000000000, 0x207fffffff);
    x.persistent_memory = len(0x1400000000, 0x1fffffffff);
    x.hole = 0x100000000;
    x.hole_count = 1;
    expect_totals(x);
}

TEST(IomemTotals, LabelMapKeepsItsInvariantsOnEveryFixture) {
    std::size_t checked = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            auto tree = read_iomem(entry.path().string(), test::slurp(entry.path()));
            ASSERT_TRUE(tree);
            EXPECT_EQ(label_iomem(tree.value()).check_invariants(), "") << entry.path();
            ++checked;
        }
    }
    EXPECT_GT(checked, 20u);
}

// The one-sweep labelling of well-nested trees equals assigning entry after entry, on every dump we
// have (the broken ones take the assigning path itself) and on hand-made trees that are not well
// nested, where the sweep must give up rather than answer.
TEST(IomemTotals, SweepEqualsOverwriteOnEveryFixture) {
    const auto spans = [](const RangeMap<MemoryKind>& map) {
        std::vector<std::tuple<std::uint64_t, std::uint64_t, MemoryKind>> out;
        for (const auto& s : map.spans()) out.emplace_back(s.range.begin().value(), s.range.end().value(), s.label);
        return out;
    };
    std::size_t compared = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel", "iomem/rules", "iomem/seeds"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            if (!entry.is_regular_file()) continue;
            auto tree = read_iomem(entry.path().string(), test::slurp(entry.path()));
            if (!tree) continue;
            EXPECT_EQ(spans(label_iomem(tree.value())), spans(label_iomem_by_overwrite(tree.value()))) << entry.path();
            ++compared;
        }
    }
    EXPECT_GT(compared, 40u);
    for (const char* text : {"00000000-0000ffff : System RAM\n00008000-00017fff : Reserved\n",           // overlapping siblings
                             "00000000-0000ffff : System RAM\n  0000f000-0001ffff : Kernel code\n",      // child past its parent
                             "00010000-0001ffff : System RAM\n00000000-00000fff : Reserved\n",           // siblings out of order
                             "00000000-0000ffff : System RAM\n  00008000-00008fff : a\n  00004000-00004fff : b\n"}) {
        auto tree = read_iomem("t", text);
        ASSERT_TRUE(tree) << text;
        EXPECT_EQ(spans(label_iomem(tree.value())), spans(label_iomem_by_overwrite(tree.value()))) << text;
        EXPECT_EQ(label_iomem(tree.value()).check_invariants(), "") << text;
    }
}

// Totals are summed as the sweep goes (no label map): they equal what the map built by assigning
// entry after entry gives, bytes per kind and every hole, on every dump and on the broken trees.
TEST(IomemTotals, SweptTotalsEqualTheLabelMapsOnEveryFixture) {
    const auto from_map = [](const IomemTree& tree) {
        const auto map = label_iomem_by_overwrite(tree);
        IomemTotals t;
        PhysAddr top{0};
        for (const auto& span : map.spans()) {
            top = std::max(top, span.range.end());
            auto& slot = t.bytes[static_cast<std::size_t>(span.label)];
            slot = ByteSize{slot.bytes() + span.range.size().bytes()};
        }
        t.span = *AddrRange::from_bounds(PhysAddr{0}, top);
        t.holes = map.gaps(t.span);
        std::uint64_t hole_bytes = 0;
        for (const auto& h : t.holes) hole_bytes += h.size().bytes();
        t.bytes[static_cast<std::size_t>(MemoryKind::hole)] = ByteSize{hole_bytes};
        return t;
    };
    const auto same = [](const IomemTotals& a, const IomemTotals& b) {
        for (std::size_t k = 0; k < kMemoryKindCount; ++k)
            if (a.bytes[k] != b.bytes[k]) return false;
        return a.span == b.span && a.holes == b.holes;
    };
    std::size_t compared = 0;
    for (const auto& dir : {"iomem/real", "iomem/kernel", "iomem/rules", "iomem/seeds"})
        for (const auto& entry : std::filesystem::directory_iterator(test::fixtures() / dir)) {
            if (!entry.is_regular_file()) continue;
            auto tree = read_iomem(entry.path().string(), test::slurp(entry.path()));
            if (!tree) continue;
            EXPECT_TRUE(same(iomem_totals(tree.value()), from_map(tree.value()))) << entry.path();
            ++compared;
        }
    EXPECT_GT(compared, 40u);
    for (const char* text : {"00000000-0000ffff : System RAM\n00008000-00017fff : Reserved\n",
                             "00000000-0000ffff : System RAM\n  0000f000-0001ffff : Kernel code\n",
                             "00010000-0001ffff : System RAM\n00000000-00000fff : Reserved\n"}) {
        auto tree = read_iomem("t", text);
        ASSERT_TRUE(tree) << text;
        EXPECT_TRUE(same(iomem_totals(tree.value()), from_map(tree.value()))) << text;
    }
}

}  // namespace
}  // namespace bootmap
