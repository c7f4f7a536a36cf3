#include "report/zones_format.hpp"

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
    return out;
}

}  // namespace bootmap
