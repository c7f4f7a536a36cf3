#include "report/zones_format.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace bootmap {

std::string format_zones(const ZoneLayout& z) {
    std::string out = "Zone ranges:\n";
    for (const auto& zone : z.zones) {
        if (zone.start_pfn == zone.end_pfn)
            fmt::format_to(std::back_inserter(out), "  {:<8} empty\n", zone.name);
        else
            fmt::format_to(std::back_inserter(out), "  {:<8} [mem {:#018x}-{:#018x}]\n", zone.name, zone.start_pfn << 12, (zone.end_pfn << 12) - 1);
    }
    out += "Movable zone start for each node\n";
    for (const auto& [nid, pfn] : z.movable_start_pfn) fmt::format_to(std::back_inserter(out), "  Node {}: {:#018x}\n", nid, pfn << 12);
    out += "Early memory node ranges\n";
    for (const auto& r : z.node_ranges)
        fmt::format_to(std::back_inserter(out), "  node {:>3}: [mem {:#018x}-{:#018x}]\n", r.nid, r.start_pfn << 12, (r.end_pfn << 12) - 1);
    // free_area_init_node(): one line per node, over the node's whole span.
    std::map<int, std::pair<std::uint64_t, std::uint64_t>> spans;
    for (const auto& r : z.node_ranges) {
        auto [it, fresh] = spans.emplace(r.nid, std::make_pair(r.start_pfn, r.end_pfn));
        if (!fresh) it->second = {std::min(it->second.first, r.start_pfn), std::max(it->second.second, r.end_pfn)};
    }
    for (const auto& [nid, span] : spans)
        fmt::format_to(std::back_inserter(out), "Initmem setup node {} [mem {:#018x}-{:#018x}]\n", nid, span.first << 12, (span.second << 12) - 1);
    return out;
}

}  // namespace bootmap
