#include "report/dt_format.hpp"

#include "report/json_range.hpp"

#include <fmt/format.h>

#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::string fate(const ReservedRegion& r) {
    if (r.invalid) return "skipped (invalid property)";
    if (r.dropped_by_limit) return r.dynamic ? "dropped (array full)" : "reserved, not registered (array full)";
    if (r.placement_failed) return "not placed";
    if (r.init_failed) return r.bypassed ? "bypassed for cma=" : "given back (setup failed)";
    if (r.initialized_as) {
        switch (r.pool) {
            case RmemPool::cma: return r.default_cma ? "CMA pool (default area)" : "CMA pool";
            case RmemPool::dma_coherent: return "DMA pool";
            case RmemPool::restricted_dma: return "restricted DMA pool";
            default: return "initialized";
        }
    }
    return r.dynamic ? "placed" : "reserved";
}

std::string place(const ReservedRegion& r) {
    if (!r.placed && r.dynamic) return fmt::format("{:>37}", "-");
    if (r.size == 0) return fmt::format("{:>37}", fmt::format("{:#x}", r.base));
    return fmt::format("{:#018x}-{:#018x}", r.base, r.base + r.size - 1);
}

std::string where(const ReservedRegion& r) {
    if (!r.node) return "";
    const auto at = r.node->location_of(r.dynamic ? "size" : "reg");
    if (at.line == 0) return at.byte_offset ? fmt::format("{}:@{:#x}", at.file, *at.byte_offset) : at.file;
    return fmt::format("{}:{}", at.file, at.line);
}

}  // namespace

std::string format_dt_layout(const Arm64Boot& boot) {
    std::string out = "\nMemory (memory nodes):\n";
    for (const auto& m : boot.fdt.memory)
        fmt::format_to(std::back_inserter(out), "  {:#018x}-{:#018x} {:>10}  {}{}\n", m.base, m.base + m.size - 1, human_size(ByteSize{m.size}), m.node,
                       m.nid ? fmt::format(" (node {})", *m.nid) : std::string());
    if (boot.fdt.memory.empty()) out += "  none given\n";
    for (const auto& m : boot.fdt.memreserve)
        fmt::format_to(std::back_inserter(out), "  /memreserve/ {:#018x}-{:#018x} {:>10}\n", m.address, m.address + m.size - 1, human_size(ByteSize{m.size}));
    if (!boot.rmem.regions.empty()) {
        out += "\nReserved memory (tree order):\n";
        for (const auto& r : boot.rmem.regions)
            fmt::format_to(std::back_inserter(out), "  {:<28} {} {:>10}  {:<7} {:<6} {:<28} {}\n", r.name, place(r), human_size(ByteSize{r.dynamic ? r.requested_size : r.size}),
                           r.dynamic ? "dynamic" : "static", r.no_map ? "no-map" : (r.reusable ? "reuse" : "map"), fate(r), where(r));
    }
    if (boot.cma && boot.cma->reserved)
        fmt::format_to(std::back_inserter(out), "\nDefault CMA area: {:#018x}-{:#018x} {} (estimated placement)\n", boot.cma->base,
                       boot.cma->base + boot.cma->size - 1, human_size(ByteSize{boot.cma->size}));
    if (!boot.log.empty()) {
        out += "\nPredicted kernel log lines:\n";
        for (const auto& line : boot.log) out += "  " + line + "\n";
    }
    if (!boot.assumptions.empty()) {
        out += "\nAssumed:\n";
        for (const auto& a : boot.assumptions) out += "  " + a + "\n";
    }
    return out;
}

nlohmann::json dt_layout_json(const Arm64Boot& boot) {
    using nlohmann::json;
    json memory = json::array();
    for (const auto& m : boot.fdt.memory) {
        json j = range_json_sized(m.base, m.size);
        j["node"] = m.node;
        memory.push_back(std::move(j));
    }
    json regions = json::array();
    for (const auto& r : boot.rmem.regions) {
        json j{{"name", r.name}, {"path", r.path}, {"dynamic", r.dynamic}, {"no_map", r.no_map}, {"reusable", r.reusable}, {"fate", fate(r)}};
        // A dynamic region the kernel could not place has only the size it asked for.
        j.update(!r.dynamic || r.placed ? range_json_sized(r.base, r.size) : json{{"start", nullptr}, {"end", nullptr}, {"size", r.requested_size}});
        regions.push_back(std::move(j));
    }
    json out{{"memory", std::move(memory)}, {"reserved_memory", std::move(regions)}, {"kernel_log", boot.log}, {"assumptions", boot.assumptions}};
    if (boot.cma && boot.cma->reserved) out["default_cma"] = range_json_sized(boot.cma->base, boot.cma->size);
    return out;
}

}  // namespace bootmap
