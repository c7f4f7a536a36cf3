#pragma once
// What the memory map picture shows, computed once from an analysis: what lies where in the physical
// address space and of which kind, in three lanes (the layout; what the kernel carves out of it; what
// the analyses add: kmem, stranded capacity, dmem, the default CMA area), the NUMA nodes, and the
// findings that have an address range. The SVG/HTML reporter only draws it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/report_model.hpp"
#include "core/address.hpp"
#include "core/diagnostic.hpp"

namespace bootmap {

enum class MapKind { ram, reserved, no_map, cma, dmem, kmem, device, pmem, hole, stranded };
inline constexpr std::size_t kMapKindCount = 10;

// "ram", "reserved", "no-map", "cma", "dmem", "kmem", "device", "pmem", "hole", "stranded".
std::string_view map_kind_name(MapKind kind);
// What the kind means, for the legend.
std::string_view map_kind_legend(MapKind kind);

enum class MapLane { layout = 0, carved = 1, analysis = 2 };
inline constexpr std::size_t kMapLaneCount = 3;
std::string_view map_lane_name(MapLane lane);

struct MapRegion {
    AddrRange range;
    MapKind kind = MapKind::ram;
    MapLane lane = MapLane::layout;
    std::string label;   // "System RAM", "modem@58000000", "dax0.0 as RAM"
    std::string detail;  // where it comes from or what decided it
};

struct MapNode {
    int nid = 0;
    AddrRange range;
};

struct MapMarker {
    AddrRange range;
    Severity severity = Severity::warning;
    std::string rule;
    std::string message;
    std::string where;  // file:line of the finding
};

struct MemoryMap {
    std::vector<std::string> sources;  // the inputs it was drawn from
    std::vector<MapRegion> regions;    // by lane, each lane in address order
    std::vector<MapNode> nodes;
    std::vector<MapMarker> markers;
    std::size_t omitted = 0;  // regions past the per-lane limit, not drawn
    // Findings of one rule past the per-rule limit: not drawn, counted (rule, how many), in the
    // order the rules first went past it.
    std::vector<std::pair<std::string, std::size_t>> omitted_markers;

    [[nodiscard]] bool empty() const { return regions.empty(); }
};

// At most this many regions per lane: a million-line iomem dump makes no picture anyone can read.
inline constexpr std::size_t kMapRegionsPerLane = 4096;

// At most this many findings of one rule are drawn and listed; the rest are counted (111 112 holes in
// a million-line dump made a 134 MB page).
inline constexpr std::size_t kMapMarkersPerRule = 256;

MemoryMap build_memory_map(const AnalysisReport& report);

}  // namespace bootmap
