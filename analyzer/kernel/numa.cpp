#include "kernel/numa.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace bootmap {
namespace {

class PxmMap {
public:
    explicit PxmMap(int max_nodes) : max_nodes_(max_nodes) {}
    // acpi_map_pxm_to_node(): first seen, lowest free node id; -1 when the nodes run out.
    int node(std::uint32_t pxm, std::map<std::uint32_t, int>& map) {
        if (auto it = map.find(pxm); it != map.end()) return it->second;
        if (static_cast<int>(map.size()) >= max_nodes_) return -1;
        const int nid = static_cast<int>(map.size());
        map.emplace(pxm, nid);
        return nid;
    }

private:
    int max_nodes_;
};

bool overlaps_memory(const MemblockType& memory, std::uint64_t start, std::uint64_t end) {
    return std::any_of(memory.regions.begin(), memory.regions.end(), [&](const MemblockRegion& r) { return r.base < end && start < r.end(); });
}

}  // namespace

NumaSetup numa_from_srat(const SratTable& srat, const MemblockType& memory, std::uint64_t ram_end, const KernelProfile& profile) {
    NumaSetup s;
    PxmMap pxms(max_numnodes(profile));
    // Processor entries first, in table order, then every memory entry.
    for (const auto& c : srat.cpus) {
        if (!c.enabled) continue;
        const int node = pxms.node(c.pxm, s.pxm_to_node);
        if (node < 0) {
            s.log.push_back(fmt::format("SRAT: Too many proximity domains {:x}", c.pxm));
            s.failure = NumaFailure{s.log.back(), {}};
            s.failed = true;
            return s;
        }
        if (c.type == 3) continue;  // GICC: arm64, not this x86 path
        // acpi_numa_processor_affinity_init(): KERN_INFO in 6.1, pr_debug (not in the log) in 6.12.
        if (!profile.srat_cpu_lines_logged()) continue;
        s.log.push_back(c.type == 2 ? fmt::format("SRAT: PXM {} -> APIC {:#06x} -> Node {}", c.pxm, c.apic_id, node)
                                    : fmt::format("SRAT: PXM {} -> APIC {:#04x} -> Node {}", c.pxm, c.apic_id, node));
    }
    std::vector<NumaBlock> blocks;
    for (std::size_t i = 0; i < srat.memory.size(); ++i) {
        const auto& m = srat.memory[i];
        if (!m.enabled()) continue;
        const int node = pxms.node(m.pxm, s.pxm_to_node);
        if (node < 0) {
            s.log.push_back("ACPI: SRAT: Too many proximity domains.");
            s.failure = NumaFailure{s.log.back(), {static_cast<int>(i)}};
            s.failed = true;
            return s;
        }
        const std::uint64_t start = m.base, end = m.base + m.length;
        if (start != end && start < end) blocks.push_back({node, start, end, static_cast<int>(i)});
        else if (start > end) s.log.push_back(fmt::format("Warning: invalid memblk node {} [mem {:#010x}-{:#010x}]", node, start, end - 1));
        s.log.push_back(fmt::format("ACPI: SRAT: Node {} PXM {} [mem {:#010x}-{:#010x}]{}{}", node, m.pxm, start, end - 1,
                                    m.hotplug() ? " hotplug" : "", m.non_volatile() ? " non-volatile" : ""));
    }
    s.failure = numa_cleanup_meminfo(blocks, memory, numa_meminfo_limits(memory, ram_end, profile), s.log);
    if (!s.failure) {
        s.failure = numa_check_coverage(blocks, memory, ram_end, profile);
        if (s.failure) s.log.push_back(s.failure->kernel_line);
    }
    s.failed = s.failure.has_value();
    if (!s.failed) s.blocks = std::move(blocks);
    return s;
}

NumaLimits numa_meminfo_limits(const MemblockType& memory, std::uint64_t ram_end, const KernelProfile& profile) {
    if (!profile.numa_memblks() || memory.regions.empty()) return {0, ram_end};
    return {memory.regions.front().base, memory.regions.back().end()};
}

std::optional<NumaFailure> numa_cleanup_meminfo(std::vector<NumaBlock>& blocks, const MemblockType& memory, const NumaLimits& limits,
                                                std::vector<std::string>& log) {
    // Blocks without RAM are set aside, the rest clamped into the limits.
    std::vector<NumaBlock> mi;
    for (const auto& b : blocks) {
        if (!overlaps_memory(memory, b.start, b.end)) continue;
        NumaBlock c{b.nid, std::max(b.start, limits.low), std::min(b.end, limits.high), b.entry};
        if (c.start < c.end) mi.push_back(c);
    }
    for (std::size_t i = 0; i < mi.size(); ++i) {
        for (std::size_t j = i + 1; j < mi.size(); ++j) {
            NumaBlock& bi = mi[i];
            const NumaBlock& bj = mi[j];
            if (bi.end > bj.start && bi.start < bj.end) {
                if (bi.nid != bj.nid) {
                    log.push_back(fmt::format("node {} [mem {:#010x}-{:#010x}] overlaps with node {} [mem {:#010x}-{:#010x}]", bi.nid, bi.start,
                                              bi.end - 1, bj.nid, bj.start, bj.end - 1));
                    NumaFailure failure{log.back(), {}};
                    for (const int e : {bi.entry, bj.entry})
                        if (e >= 0) failure.entries.push_back(e);
                    return failure;
                }
                log.push_back(fmt::format("Warning: node {} [mem {:#010x}-{:#010x}] overlaps with itself [mem {:#010x}-{:#010x}]", bi.nid,
                                            bi.start, bi.end - 1, bj.start, bj.end - 1));
            }
            if (bi.nid != bj.nid) continue;
            const std::uint64_t start = std::min(bi.start, bj.start), end = std::max(bi.end, bj.end);
            const bool blocked = std::any_of(mi.begin(), mi.end(), [&](const NumaBlock& bk) {
                return bk.nid != bi.nid && start < bk.end && end > bk.start;
            });
            if (blocked) continue;
            log.push_back(fmt::format("NUMA: Node {} [mem {:#010x}-{:#010x}] + [mem {:#010x}-{:#010x}] -> [mem {:#010x}-{:#010x}]", bi.nid,
                                        bi.start, bi.end - 1, bj.start, bj.end - 1, start, end - 1));
            bi.start = start;
            bi.end = end;
            mi.erase(mi.begin() + static_cast<std::ptrdiff_t>(j));
            --j;
        }
    }
    blocks = std::move(mi);
    return std::nullopt;
}

std::optional<NumaFailure> numa_check_coverage(const std::vector<NumaBlock>& blocks, const MemblockType& memory, std::uint64_t ram_end,
                                               const KernelProfile& profile) {
    const unsigned shift = profile.page_shift;
    // Whole pages of RAM in [start, end), as for_each_mem_pfn_range() walks memblock.memory.
    const auto ram_pages = [&](std::uint64_t start, std::uint64_t end) {
        std::uint64_t pages = 0;
        for (const auto& r : memory.regions) {
            const std::uint64_t s = std::max(r.base, start), e = std::min(r.end(), end);
            if (s >= e) continue;
            const std::uint64_t first = (s + (std::uint64_t{1} << shift) - 1) >> shift, last = e >> shift;
            if (last > first) pages += last - first;
        }
        return pages;
    };
    const std::uint64_t slack_pages = std::uint64_t{1} << (20 - shift);
    // The blocks as sorted, merged spans; what memory has outside them is what no node holds.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
    spans.reserve(blocks.size());
    for (const auto& b : blocks) spans.emplace_back(b.start, b.end);
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
    for (const auto& [s, e] : spans) {
        if (!merged.empty() && s <= merged.back().second) merged.back().second = std::max(merged.back().second, e);
        else merged.emplace_back(s, e);
    }
    const auto uncovered = [&] {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
        for (const auto& r : memory.regions) {
            std::uint64_t at = r.base;
            auto it = std::upper_bound(merged.begin(), merged.end(), std::pair{at, ~std::uint64_t{0}});
            if (it != merged.begin() && std::prev(it)->second > at) at = std::prev(it)->second;
            for (; at < r.end(); ++it) {
                const std::uint64_t gap_end = it == merged.end() ? r.end() : std::min(r.end(), it->first);
                if (at < gap_end) out.emplace_back(at, gap_end);
                if (it == merged.end()) break;
                at = std::max(at, it->second);
            }
        }
        return out;
    };
    if (!profile.numa_memblks()) {
        // Block by block, so a page two blocks of one node share counts twice, as it does in the kernel.
        std::uint64_t numa_ram = 0;
        for (const auto& b : blocks) numa_ram += ram_pages(b.start, b.end);
        const std::uint64_t e820_ram = ram_pages(0, ram_end);
        if (e820_ram <= numa_ram || e820_ram - numa_ram < slack_pages) return std::nullopt;
        return NumaFailure{fmt::format("NUMA: nodes only cover {}MB of your {}MB e820 RAM. Not used.", (numa_ram << shift) >> 20, (e820_ram << shift) >> 20),
                           {}, uncovered()};
    }
    // Memory pages no block gave a node to.
    std::uint64_t all = 0, covered = 0, bytes = 0;
    for (const auto& r : memory.regions) bytes += r.size;
    all = ram_pages(0, ~std::uint64_t{0});
    for (const auto& [s, e] : merged) covered += ram_pages(s, e);
    const std::uint64_t lost = all - std::min(all, covered);
    if ((lost << shift) <= (std::uint64_t{1} << 20)) return std::nullopt;
    return NumaFailure{fmt::format("NUMA: no nodes coverage for {}MB of {}MB RAM", (lost << shift) >> 20, bytes >> 20), {}, uncovered()};
}

}  // namespace bootmap
