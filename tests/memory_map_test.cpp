// The memory map: what the picture holds for real analyses (the x86 boot of a captured 2-node
// machine with a pmem carve-out, a crash kernel and dmem=; a device tree with an overlap; a dax
// device that strands capacity), and the SVG drawing every region, node and finding of it.

#include <gtest/gtest.h>

#include <array>

#include <algorithm>
#include <string>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "analysis/memory_map.hpp"
#include "analysis/pipeline.hpp"
#include "readers/cmdline_reader.hpp"
#include "readers/dts_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "readers/srat_dmesg_reader.hpp"
#include "report/memory_map_svg.hpp"
#include "test_support.hpp"

namespace bootmap {
namespace {

const MapRegion* find_region(const MemoryMap& map, std::string_view label) {
    const auto it = std::find_if(map.regions.begin(), map.regions.end(), [&](const MapRegion& r) { return r.label == label; });
    return it == map.regions.end() ? nullptr : &*it;
}

AddrRange range(std::uint64_t begin, std::uint64_t end) { return *AddrRange::from_bounds(PhysAddr{begin}, PhysAddr{end}); }

MemoryMap x86_numa_map() {
    const auto path = test::fixtures() / "kernel/x86-numa-2node/dmesg.txt";
    const std::string log = test::slurp(path);
    Machine m;
    m.profile.dmem_config = true;
    m.firmware_e820 = read_e820_text(path.string(), log).value();
    m.srat = read_srat_from_dmesg(path.string(), log);
    m.cmdline = read_cmdline("--cmdline", "memmap=256M!5G crashkernel=128M dmem=512M").value();
    return build_memory_map(analyze_machine(std::move(m)));
}

TEST(MemoryMap, X86BootShowsTheEditedE820TheCarveOutsAndTheNodes) {
    const MemoryMap map = x86_numa_map();
    // The layout lane is the e820 map after memmap=: the pmem carve-out replaces RAM at 5 GiB.
    const auto pmem = std::find_if(map.regions.begin(), map.regions.end(), [](const MapRegion& r) { return r.kind == MapKind::pmem; });
    ASSERT_NE(pmem, map.regions.end());
    EXPECT_EQ(pmem->range, range(0x140000000, 0x150000000));
    EXPECT_EQ(pmem->lane, MapLane::layout);
    // Below 4 GiB the machine's gaps are holes, drawn as such.
    EXPECT_TRUE(std::any_of(map.regions.begin(), map.regions.end(),
                            [](const MapRegion& r) { return r.kind == MapKind::hole && r.range.begin() == PhysAddr{0xc0000000}; }));
    const MapRegion* crash = find_region(map, "Crash kernel");
    ASSERT_NE(crash, nullptr);
    EXPECT_EQ(crash->lane, MapLane::carved);
    EXPECT_EQ(crash->range.size(), ByteSize{128ull << 20});
    const auto dmem = std::count_if(map.regions.begin(), map.regions.end(), [](const MapRegion& r) { return r.kind == MapKind::dmem; });
    EXPECT_GE(dmem, 1);
    // The SRAT's two nodes, as the kernel keeps them.
    ASSERT_EQ(map.nodes.size(), 2u);
    EXPECT_EQ(map.nodes[0].range, range(0, 0x40000000));
    EXPECT_EQ(map.nodes[1].nid, 1);
    // Lanes in order, each in address order: what the drawing relies on.
    EXPECT_TRUE(std::is_sorted(map.regions.begin(), map.regions.end(), [](const MapRegion& a, const MapRegion& b) {
        return a.lane != b.lane ? a.lane < b.lane : a.range.begin() < b.range.begin();
    }));
}

TEST(MemoryMap, DeviceTreeRegionsAreCarvedFromItsMemoryAndTheOverlapIsMarked) {
    auto tree = read_dts((test::fixtures() / "dt/rules/dt-rmem-overlap.fires.dts").string(), DtsOptions{});
    ASSERT_TRUE(tree);
    Machine m;
    m.profile.arch = Arch::arm64;
    m.device_tree = std::make_shared<const DeviceTree>(std::move(tree).value());
    const MemoryMap map = build_memory_map(analyze_machine(std::move(m)));
    const MapRegion* modem = find_region(map, "modem@58000000");
    ASSERT_NE(modem, nullptr);
    EXPECT_EQ(modem->kind, MapKind::no_map);
    EXPECT_EQ(modem->lane, MapLane::carved);
    EXPECT_EQ(modem->range, range(0x58000000, 0x5a000000));
    ASSERT_NE(find_region(map, "/memory@40000000"), nullptr);
    ASSERT_EQ(map.markers.size(), 1u);
    EXPECT_EQ(map.markers[0].rule, "dt-rmem-overlap");
    EXPECT_EQ(map.markers[0].severity, Severity::error);
}

TEST(MemoryMap, KmemShowsWhatBecomesRamAndWhatAlignmentStrands) {
    const auto path = test::fixtures() / "iomem/rules/kmem-stranded-capacity.fires.iomem";
    Machine m;
    m.iomem = std::make_shared<const IomemTree>(read_iomem(path.string(), test::slurp(path)).value());
    const MemoryMap map = build_memory_map(analyze_machine(std::move(m)));
    const MapRegion* head = find_region(map, "dax0.0 stranded (head)");
    const MapRegion* ram = find_region(map, "dax0.0 as RAM");
    ASSERT_NE(head, nullptr);
    ASSERT_NE(ram, nullptr);
    EXPECT_EQ(head->kind, MapKind::stranded);
    EXPECT_EQ(head->range, range(0x148200000, 0x150000000));  // up to the first 128 MiB block boundary
    EXPECT_EQ(ram->range.begin(), PhysAddr{0x150000000});
    EXPECT_EQ(ram->kind, MapKind::kmem);
}

TEST(MemoryMapSvg, DrawsEveryRegionNodeAndFindingInBothScales) {
    const MemoryMap map = x86_numa_map();
    for (const MapScale scale : {MapScale::log, MapScale::linear}) {
        pugi::xml_document doc;
        ASSERT_TRUE(doc.load_string(render_map_svg(map, scale).c_str()));
        std::size_t regions = 0, nodes = 0;
        double last_y = -1;
        for (const auto& rect : doc.select_nodes("//rect")) {
            const std::string cls = rect.node().attribute("class").value();
            const double y = rect.node().attribute("y").as_double(), h = rect.node().attribute("height").as_double();
            EXPECT_GE(h, 0.0) << cls;
            if (cls.rfind("region", 0) == 0 && cls.find("lane-0") != std::string::npos) {
                EXPECT_GE(y, last_y) << "layout regions go down the page in address order";
                last_y = y;
            }
            regions += cls.rfind("region", 0) == 0;
            nodes += cls.rfind("node", 0) == 0;
        }
        EXPECT_EQ(regions, map.regions.size());
        EXPECT_EQ(nodes, map.nodes.size());
    }
    // Under the linear scale heights are proportional to the address span a band covers.
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(render_map_svg(map, MapScale::linear).c_str()));
    const auto n0 = doc.select_node("//rect[starts-with(@class,'node')][1]").node();
    const auto n1 = doc.select_node("//rect[starts-with(@class,'node')][2]").node();
    const double h0 = n0.attribute("height").as_double(), h1 = n1.attribute("height").as_double();
    const double s0 = static_cast<double>(map.nodes[0].range.size().bytes()), s1 = static_cast<double>(map.nodes[1].range.size().bytes());
    EXPECT_NEAR(h0 / h1, s0 / s1, 0.01);
}

// A dump with more regions than a lane has room for is drawn whole, merged at the picture's
// resolution: nothing is left out, the top of the address space is there, and each merged region
// takes the kind that covers most of it.
TEST(MemoryMap, ALaneWithTooManyRegionsIsMergedNotCut) {
    std::string dump;
    constexpr std::uint64_t kEntries = 3 * kMapRegionsPerLane;
    // RAM of 12 KiB, a reserved page, then a hole of a page; each RAM range with a reserved child.
    for (std::uint64_t i = 0; i < kEntries; ++i) {
        const std::uint64_t base = 0x100000 + i * 0x5000;
        dump += fmt::format("{:08x}-{:08x} : System RAM\n  {:08x}-{:08x} : Reserved\n{:08x}-{:08x} : Reserved\n", base, base + 0x2fff, base, base + 0xfff,
                            base + 0x3000, base + 0x3fff);
    }
    auto tree = read_iomem("many.iomem", dump);
    ASSERT_TRUE(tree) << format_input_error(tree.error());
    Machine m;
    m.iomem = std::make_shared<const IomemTree>(std::move(tree).value());
    const MemoryMap map = build_memory_map(analyze_machine(std::move(m)));
    EXPECT_EQ(map.omitted, 0u);
    std::array<std::size_t, kMapLaneCount> per_lane{};
    PhysAddr top{0};
    std::size_t merged = 0;
    for (const auto& r : map.regions) {
        ++per_lane[static_cast<std::size_t>(r.lane)];
        if (r.lane == MapLane::layout) top = std::max(top, r.range.end());
        if (r.label.ends_with(" regions")) {
            ++merged;
            EXPECT_NE(r.detail.find("merged to fit the picture"), std::string::npos) << r.detail;
        }
    }
    EXPECT_LE(per_lane[0], kMapRegionsPerLane);
    EXPECT_LE(per_lane[1], kMapRegionsPerLane);
    EXPECT_GT(per_lane[0], kMapRegionsPerLane / 2) << "merged no more than it needs";
    EXPECT_EQ(top.value(), 0x100000 + (kEntries - 1) * 0x5000 + 0x4000) << "the top of the dump is drawn";
    EXPECT_GT(merged, 0u);
    // Above the first MiB (one hole) the layout lane repeats RAM 12 KiB, reserved 4 KiB, hole 4 KiB:
    // RAM covers most of each merged region there.
    for (const auto& r : map.regions)
        if (r.lane == MapLane::layout && r.label.ends_with(" regions") && r.range.begin().value() >= 0x100000)
            EXPECT_EQ(map_kind_name(r.kind), "ram") << r.label << " at " << r.range.begin().value();
}

// A dump with thousands of findings of one rule (here: 3 000 holes between resources) draws and
// lists the first kMapMarkersPerRule and counts the rest, in the SVG legend and the HTML summary.
TEST(MemoryMapSvg, FindingsOfOneRulePastTheLimitAreCountedNotDrawn) {
    std::string dump;
    for (std::uint64_t i = 0; i < 3000; ++i) dump += fmt::format("{:08x}-{:08x} : System RAM\n", i * 0x2000 + 0x1000, i * 0x2000 + 0x1fff);
    auto tree = read_iomem("holes.iomem", dump);
    ASSERT_TRUE(tree) << format_input_error(tree.error());
    Machine m;
    m.iomem = std::make_shared<const IomemTree>(std::move(tree).value());
    const auto report = analyze_machine(std::move(m));
    const auto holes = std::count_if(report.diagnostics.begin(), report.diagnostics.end(), [](const Diagnostic& d) { return d.rule_id == "iomem-hole"; });
    ASSERT_GT(holes, static_cast<std::ptrdiff_t>(kMapMarkersPerRule));
    const MemoryMap map = build_memory_map(report);
    EXPECT_EQ(static_cast<std::size_t>(std::count_if(map.markers.begin(), map.markers.end(), [](const MapMarker& k) { return k.rule == "iomem-hole"; })),
              kMapMarkersPerRule);
    ASSERT_EQ(map.omitted_markers.size(), 1u);
    EXPECT_EQ(map.omitted_markers[0].first, "iomem-hole");
    EXPECT_EQ(map.omitted_markers[0].second, static_cast<std::size_t>(holes) - kMapMarkersPerRule);
    const std::string svg = render_map_svg(map, MapScale::log);
    EXPECT_NE(svg.find(fmt::format("{} more iomem-hole findings not drawn", holes - 256)), std::string::npos);
    const std::string html = render_map_html(map, MapScale::log);
    EXPECT_NE(html.find(fmt::format("{} more [iomem-hole] findings, not drawn or listed here", holes - 256)), std::string::npos);
}

}  // namespace
}  // namespace bootmap
