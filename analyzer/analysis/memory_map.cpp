#include "analysis/memory_map.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <array>

#include <fmt/format.h>

#include "analysis/iomem_totals.hpp"
#include "kernel/e820.hpp"
#include "model/e820.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::optional<AddrRange> span(std::uint64_t base, std::uint64_t size) { return AddrRange::from_size(PhysAddr{base}, ByteSize{size}); }

MapKind kind_of(MemoryKind kind) {
    switch (kind) {
        case MemoryKind::system_ram: return MapKind::ram;
        case MemoryKind::hotplug_ram: return MapKind::kmem;
        case MemoryKind::ram_reserved:
        case MemoryKind::firmware_reserved: return MapKind::reserved;
        case MemoryKind::soft_reserved:
        case MemoryKind::persistent_memory: return MapKind::pmem;
        case MemoryKind::device: return MapKind::device;
        case MemoryKind::hole: return MapKind::hole;
    }
    return MapKind::device;
}

MapKind kind_of_e820(std::uint32_t type) {
    switch (type) {
        case e820_type::ram: return MapKind::ram;
        case e820_type::pmem:
        case e820_type::pram:
        case e820_type::soft_reserved: return MapKind::pmem;
        default: return MapKind::reserved;
    }
}

class Builder {
public:
    explicit Builder(MemoryMap& map) : map_(map) {}

    void add(std::optional<AddrRange> range, MapKind kind, MapLane lane, std::string label, std::string detail) {
        if (!range || range->size().bytes() == 0) return;
        auto& count = per_lane_[static_cast<std::size_t>(lane)];
        if (count >= kMapRegionsPerLane) {
            ++map_.omitted;
            return;
        }
        ++count;
        map_.regions.push_back({*range, kind, lane, std::move(label), std::move(detail)});
    }

    // The stretches of [0, end) that no layout region covers, as holes.
    void add_holes() {
        std::vector<AddrRange> layout;
        for (const auto& r : map_.regions)
            if (r.lane == MapLane::layout) layout.push_back(r.range);
        std::sort(layout.begin(), layout.end(), [](const AddrRange& a, const AddrRange& b) { return a.begin() < b.begin(); });
        PhysAddr cursor{0};
        for (const auto& r : layout) {
            if (cursor < r.begin()) add(AddrRange::from_bounds(cursor, r.begin()), MapKind::hole, MapLane::layout, "hole", "no resource describes it");
            if (cursor < r.end()) cursor = r.end();
        }
    }

private:
    MemoryMap& map_;
    std::array<std::size_t, kMapLaneCount> per_lane_{};
};

// The regions of one lane, arriving in address order, merged `group` at a time when there are more
// than the picture has room for: the whole address space stays drawn, at the picture's resolution,
// instead of its first few thousand regions. A merged region takes the kind that covers most of it.
class LaneMerger {
public:
    LaneMerger(Builder& out, MapLane lane, std::size_t expected)
        : out_(out), lane_(lane), group_(std::max<std::size_t>(1, (expected + kMapRegionsPerLane - 1) / kMapRegionsPerLane)) {}

    void add(std::optional<AddrRange> range, MapKind kind, std::string label, std::string detail) {
        if (!range || range->size().bytes() == 0) return;
        if (group_ == 1) {
            out_.add(range, kind, lane_, std::move(label), std::move(detail));
            return;
        }
        begin_ = count_ == 0 ? range->begin() : std::min(begin_, range->begin());
        end_ = std::max(end_, range->end());
        bytes_[static_cast<std::size_t>(kind)] += range->size().bytes();
        if (++count_ == group_) finish();
    }

    void finish() {
        if (count_ == 0) return;
        const auto most = static_cast<MapKind>(std::max_element(bytes_.begin(), bytes_.end()) - bytes_.begin());
        out_.add(AddrRange::from_bounds(begin_, end_), most, lane_, fmt::format("{} regions", count_),
                 fmt::format("{} regions merged to fit the picture, mostly {} (bootmap analyze lists each)", count_, map_kind_name(most)));
        count_ = 0;
        end_ = PhysAddr{0};
        bytes_.fill(0);
    }

private:
    Builder& out_;
    MapLane lane_;
    std::size_t group_;
    std::size_t count_ = 0;
    PhysAddr begin_{0}, end_{0};
    std::array<std::uint64_t, kMapKindCount> bytes_{};
};

void from_iomem(const AnalysisReport& report, Builder& out) {
    const IomemTree& tree = *report.iomem;
    const auto kinds = iomem_entry_kinds(tree);
    // Children that only name a part of their parent (Kernel code, a PCI device) add nothing to the picture.
    const auto drawn_child = [&](std::size_t i) {
        const IomemEntry& e = tree.entries[i];
        return e.depth == 1 && !(e.parent && kinds[i] == kinds[*e.parent]);
    };
    const std::vector<AddrRange> no_holes;
    const auto& holes = report.iomem_totals ? report.iomem_totals->holes : no_holes;
    std::size_t top = 0, children = 0;
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        top += tree.entries[i].depth == 0 ? 1 : 0;
        children += drawn_child(i) ? 1 : 0;
    }
    LaneMerger layout(out, MapLane::layout, top + holes.size());
    LaneMerger carved(out, MapLane::carved, children);
    std::size_t next_hole = 0;
    const auto holes_below = [&](std::optional<PhysAddr> limit) {
        for (; next_hole < holes.size() && (!limit || holes[next_hole].begin() < *limit); ++next_hole)
            layout.add(holes[next_hole], MapKind::hole, "hole", "no resource describes it");
    };
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        if (e.depth == 0) {
            const auto range = e.range();
            if (range) holes_below(range->begin());
            layout.add(range, kind_of(kinds[i]), e.name, fmt::format("{}:{}", tree.source, e.line));
        } else if (drawn_child(i)) {
            carved.add(e.range(), kind_of(kinds[i]), e.name, fmt::format("{}:{}", tree.source, e.line));
        }
    }
    holes_below(std::nullopt);
    layout.finish();
    carved.finish();
}

void from_e820(const AnalysisReport& report, Builder& out) {
    const E820Table& map = report.e820_setup->resource_map;
    for (const auto& e : map.entries)
        out.add(AddrRange::from_size(e.addr, e.size), kind_of_e820(e.type), MapLane::layout, std::string(e820_type_name(e.type)),
                report.e820_setup->userdef ? "the e820 map after the command line's edits" : "the firmware's e820 map");
    for (const auto& p : report.pmem)
        out.add(p.range, MapKind::pmem, MapLane::layout, p.name, fmt::format("NVDIMM on node {} (the NFIT's range)", p.node));
    out.add_holes();
    for (const auto& ck : report.crash_kernel)
        out.add(AddrRange::from_inclusive(PhysAddr{ck.first}, PhysAddr{ck.last}), MapKind::reserved, MapLane::carved, ck.name,
                "crashkernel= (predicted placement)");
}

void from_device_tree(const Arm64Boot& boot, Builder& out, MemoryMap& map) {
    for (const auto& m : boot.fdt.memory) {
        out.add(span(m.base, m.size), MapKind::ram, MapLane::layout, m.node, m.hotpluggable ? "hotpluggable memory" : "memory node");
        if (m.nid) map.nodes.push_back({static_cast<int>(*m.nid), *span(m.base, m.size)});
    }
    out.add_holes();
    for (const auto& r : boot.rmem.regions) {
        if (!r.holds_memory() || !r.saved) continue;
        const MapKind kind = r.no_map ? MapKind::no_map : (r.reusable || r.pool == RmemPool::cma ? MapKind::cma : MapKind::reserved);
        const std::string detail = fmt::format("{}{}{}", r.path, r.dynamic ? ", placed by the kernel" : ", static",
                                               r.initialized_as ? ", " + *r.initialized_as : std::string());
        if (r.dynamic) {
            out.add(span(r.base, r.size), kind, MapLane::carved, r.name, detail);
        } else {
            for (const auto& e : r.entries)
                if (e.reserved) out.add(span(e.base, e.size), kind, MapLane::carved, r.name, detail);
        }
    }
    if (boot.kernel_image.second) out.add(span(boot.kernel_image.first, boot.kernel_image.second), MapKind::reserved, MapLane::carved, "Kernel image", "[_stext, _end)");
    if (boot.cma && boot.cma->reserved && !boot.cma->fixed)
        out.add(span(boot.cma->base, boot.cma->size), MapKind::cma, MapLane::analysis, "default CMA area", "cma= or the kernel's default (estimated placement)");
    else if (boot.cma && boot.cma->reserved)
        out.add(span(boot.cma->base, boot.cma->size), MapKind::cma, MapLane::analysis, "CMA area", "cma=SIZE@BASE");
    if (boot.crashkernel && boot.crashkernel->reserved)
        out.add(span(boot.crashkernel->base, boot.crashkernel->size), MapKind::reserved, MapLane::carved, "Crash kernel", "crashkernel= (predicted placement)");
}

void from_kmem(const AnalysisReport& report, Builder& out) {
    for (const auto& a : report.kmem) {
        const auto& plan = a.plan;
        if (!plan.hotplug || a.add_failed) {
            out.add(a.range, MapKind::stranded, MapLane::analysis, a.name + " stranded",
                    a.add_failed ? "past the end of physical addressing: memory hotplug refuses it" : "too small for one memory block: none of it becomes RAM");
            continue;
        }
        out.add(AddrRange::from_bounds(a.range.begin(), plan.hotplug->begin()), MapKind::stranded, MapLane::analysis, a.name + " stranded (head)",
                fmt::format("below the first whole memory block ({} blocks)", human_size(ByteSize{a.block_size})));
        out.add(plan.hotplug, MapKind::kmem, MapLane::analysis, a.name + " as RAM", "what DAX kmem hot-adds as System RAM (kmem)");
        out.add(AddrRange::from_bounds(plan.hotplug->end(), a.range.end()), MapKind::stranded, MapLane::analysis, a.name + " stranded (tail)",
                "past the last whole memory block");
    }
}

}  // namespace

std::string_view map_kind_name(MapKind kind) {
    static constexpr std::array<std::string_view, kMapKindCount> names{"ram", "reserved", "no-map", "cma", "dmem", "kmem", "device", "pmem", "hole", "stranded"};
    return names[static_cast<std::size_t>(kind)];
}

std::string_view map_kind_legend(MapKind kind) {
    static constexpr std::array<std::string_view, kMapKindCount> legend{
        "System RAM",
        "reserved (firmware or memblock)",
        "no-map (not in the linear map)",
        "CMA (reusable)",
        "dmem= (taken from the page allocator)",
        "kmem (pmem hot-added as RAM)",
        "device / MMIO",
        "persistent or soft-reserved memory",
        "hole (nothing there)",
        "stranded by memory-block alignment",
    };
    return legend[static_cast<std::size_t>(kind)];
}

std::string_view map_lane_name(MapLane lane) {
    static constexpr std::array<std::string_view, kMapLaneCount> names{"layout", "carved out", "analysis"};
    return names[static_cast<std::size_t>(lane)];
}

MemoryMap build_memory_map(const AnalysisReport& report) {
    MemoryMap map;
    for (const auto& input : report.inputs)
        if (std::find(map.sources.begin(), map.sources.end(), input.file) == map.sources.end()) map.sources.push_back(input.file);
    Builder out(map);
    if (report.iomem) {
        from_iomem(report, out);
    } else if (report.e820_setup) {
        from_e820(report, out);
    } else if (report.dt_boot) {
        from_device_tree(*report.dt_boot, out, map);
    }
    from_kmem(report, out);
    if (report.dmem)
        for (const auto& r : report.dmem->regions)
            out.add(AddrRange::from_bounds(PhysAddr{r.start}, PhysAddr{r.end}), MapKind::dmem, MapLane::analysis, fmt::format("dmem node {}", r.nid),
                    "dmem= carve-out, kept from the page allocator");
    for (const auto& block : report.numa)
        if (auto range = AddrRange::from_bounds(PhysAddr{block.start}, PhysAddr{block.end})) map.nodes.push_back({block.nid, *range});
    std::map<std::string_view, std::size_t> drawn;  // per rule
    for (const auto& d : report.diagnostics) {
        if (!d.range) continue;
        if (++drawn[d.rule_id] <= kMapMarkersPerRule) {
            map.markers.push_back({*d.range, d.severity, d.rule_id, d.message, format_location(d.where)});
            continue;
        }
        auto it = std::find_if(map.omitted_markers.begin(), map.omitted_markers.end(), [&](const auto& o) { return o.first == d.rule_id; });
        if (it == map.omitted_markers.end()) it = map.omitted_markers.insert(map.omitted_markers.end(), {d.rule_id, 0});
        ++it->second;
    }
    std::stable_sort(map.regions.begin(), map.regions.end(), [](const MapRegion& a, const MapRegion& b) {
        if (a.lane != b.lane) return a.lane < b.lane;
        return a.range.begin() < b.range.begin();
    });
    return map;
}

}  // namespace bootmap
