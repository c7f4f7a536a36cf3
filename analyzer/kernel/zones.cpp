#include "kernel/zones.hpp"

#include <algorithm>

#include "grammars/boot_params.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t kMaxDmaPfn = (16ull << 20) >> 12;
constexpr std::uint64_t kMaxDma32Pfn = (4ull << 30) >> 12;
constexpr std::uint64_t kMaxOrderNrPages = 1024;  // 4 MiB with 4 KiB pages (MAX_ORDER 11)

std::uint64_t pfn_up(std::uint64_t addr) { return (addr + 4095) >> 12; }
std::uint64_t pfn_down(std::uint64_t addr) { return addr >> 12; }

struct CoreRequest {
    std::uint64_t kernelcore_pages = 0, movablecore_pages = 0;
    std::uint64_t kernelcore_percent = 0, movablecore_percent = 0;
    bool movable_node = false;
    bool mirror = false;
};

CoreRequest read_core_params(const KernelCommandLine* cmdline) {
    CoreRequest r;
    if (!cmdline) return r;
    for (const auto& p : cmdline->params) {
        if (!p.value && grammars::param_name_equals(p.name, "movable_node")) r.movable_node = true;
        if (!p.value) continue;
        if (grammars::param_name_equals(p.name, "kernelcore")) {
            auto c = grammars::parse_kernelcore(*p.value, true);
            r.mirror = c.mirror;
            if (c.percent) {
                r.kernelcore_percent = *c.percent;
            } else if (!c.mirror) {
                r.kernelcore_pages = c.bytes >> 12;
                r.kernelcore_percent = 0;
            }
        } else if (grammars::param_name_equals(p.name, "movablecore")) {
            auto c = grammars::parse_kernelcore(*p.value, false);
            if (c.percent) {
                r.movablecore_percent = *c.percent;
            } else {
                r.movablecore_pages = c.bytes >> 12;
                r.movablecore_percent = 0;
            }
        }
    }
    return r;
}

}  // namespace

ZoneLayout x86_zone_layout(const MemblockType& memory, std::uint64_t max_pfn, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    // zone_sizes_init(): on x86_64 max_low_pfn is max_pfn.
    return zone_layout(memory, {{"DMA", std::min(kMaxDmaPfn, max_pfn)}, {"DMA32", std::min(kMaxDma32Pfn, max_pfn)}, {"Normal", max_pfn}},
                       profile.has(Gate::zone_device), cmdline, profile);
}

ZoneLayout arm64_zone_layout(const MemblockType& memory, std::uint64_t dma_phys_limit, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    // zone_sizes_init() (arch/arm64/mm/init.c): ZONE_DMA and ZONE_DMA32 both end at the 32-bit
    // limit, so DMA32 is always empty. Debian's arm64 build has ZONE_DEVICE (a "Device" line) from
    // 6.12 on, not in 6.1.
    const std::uint64_t dma_pfn = dma_phys_limit >> 12;
    const std::uint64_t max_pfn = memory.regions.empty() ? 0 : memory.regions.back().end() >> 12;
    return zone_layout(memory, {{"DMA", dma_pfn}, {"DMA32", dma_pfn}, {"Normal", max_pfn}}, profile.has(Gate::arm64_zone_device), cmdline, profile);
}

ZoneLayout zone_layout(const MemblockType& memory, const std::vector<std::pair<std::string, std::uint64_t>>& limits, bool device_zone,
                       const KernelCommandLine* cmdline, const KernelProfile&) {
    ZoneLayout z;
    // Early memory node ranges: each memory region, trimmed to whole pages.
    for (const auto& r : memory.regions) {
        const std::uint64_t s = pfn_up(r.base), e = pfn_down(r.end());
        if (s < e) z.node_ranges.push_back({r.nid, s, e});
    }
    if (z.node_ranges.empty()) return z;

    std::uint64_t start = z.node_ranges.front().start_pfn;
    for (const auto& [name, limit] : limits) {
        const std::uint64_t hi = std::max(limit, start);
        z.zones.push_back({name, start, hi});
        start = hi;
    }
    if (device_zone) z.zones.push_back({"Device", start, start});

    // The zone ZONE_MOVABLE comes out of: the highest populated one.
    const ZoneRange* movable_zone = &z.zones[0];
    for (int i = static_cast<int>(limits.size()) - 1; i >= 0; --i)
        if (z.zones[i].end_pfn > z.zones[i].start_pfn) {
            movable_zone = &z.zones[i];
            break;
        }

    std::map<int, std::uint64_t> movable;
    std::map<int, std::pair<std::uint64_t, std::uint64_t>> node_span;
    for (const auto& r : z.node_ranges) {
        auto [it, fresh] = node_span.emplace(r.nid, std::make_pair(r.start_pfn, r.end_pfn));
        if (!fresh) it->second = {std::min(it->second.first, r.start_pfn), std::max(it->second.second, r.end_pfn)};
    }
    const CoreRequest req = read_core_params(cmdline);
    std::uint64_t totalpages = 0;
    for (const auto& r : z.node_ranges) totalpages += r.end_pfn - r.start_pfn;
    bool align_and_finish = false;
    if (req.movable_node) {
        for (const auto& r : memory.regions) {
            if (!(r.flags & memblock_flag::hotplug)) continue;
            const std::uint64_t s = pfn_down(r.base);
            movable[r.nid] = movable.count(r.nid) && movable[r.nid] ? std::min(movable[r.nid], s) : s;
        }
        align_and_finish = true;
    } else if (req.mirror) {
        z.notes.push_back("kernelcore=mirror is not modelled: ZONE_MOVABLE is left out");
    } else {
        std::uint64_t required_kernelcore = req.kernelcore_pages, required_movablecore = req.movablecore_pages;
        if (req.kernelcore_percent) required_kernelcore = totalpages * 100 * req.kernelcore_percent / 10000;
        if (req.movablecore_percent) required_movablecore = totalpages * 100 * req.movablecore_percent / 10000;
        if (required_movablecore) {
            required_movablecore = (required_movablecore + kMaxOrderNrPages - 1) / kMaxOrderNrPages * kMaxOrderNrPages;
            required_movablecore = std::min(totalpages, required_movablecore);
            required_kernelcore = std::max(required_kernelcore, totalpages - required_movablecore);
        }
        if (required_kernelcore && required_kernelcore < totalpages) {
            const std::uint64_t usable_startpfn = movable_zone->start_pfn;
            std::uint64_t usable_nodes = node_span.size();
            for (;;) {
                std::uint64_t kernelcore_node = required_kernelcore / usable_nodes;
                for (const auto& [nid, span] : node_span) {
                    if (required_kernelcore < kernelcore_node) kernelcore_node = required_kernelcore / usable_nodes;
                    std::uint64_t remaining = kernelcore_node;
                    for (const auto& r : z.node_ranges) {
                        if (r.nid != nid) continue;
                        std::uint64_t s = std::max(r.start_pfn, movable[nid]);
                        const std::uint64_t e = r.end_pfn;
                        if (s >= e) continue;
                        if (s < usable_startpfn) {
                            const std::uint64_t kernel_pages = std::min(e, usable_startpfn) - s;
                            remaining -= std::min(kernel_pages, remaining);
                            required_kernelcore -= std::min(kernel_pages, required_kernelcore);
                            if (e <= usable_startpfn) {
                                movable[nid] = e;
                                continue;
                            }
                            s = usable_startpfn;
                        }
                        const std::uint64_t size = std::min(e - s, remaining);
                        movable[nid] = s + size;
                        required_kernelcore -= std::min(required_kernelcore, size);
                        remaining -= size;
                        if (!remaining) break;
                    }
                }
                --usable_nodes;
                if (!(usable_nodes && required_kernelcore > usable_nodes)) break;
            }
            align_and_finish = true;
        }
    }
    if (align_and_finish) {
        for (auto& [nid, pfn] : movable) {
            pfn = (pfn + kMaxOrderNrPages - 1) / kMaxOrderNrPages * kMaxOrderNrPages;
            if (pfn >= node_span[nid].second) pfn = 0;
        }
        for (const auto& [nid, pfn] : movable)
            if (pfn) z.movable_start_pfn[nid] = pfn;
    }
    return z;
}

}  // namespace bootmap
