#include "analysis/dt_checks.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <cstdlib>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::optional<AddrRange> range_of(std::uint64_t base, std::uint64_t size) {
    if (size == 0 || base + size < base) return std::nullopt;
    return AddrRange::from_inclusive(PhysAddr{base}, PhysAddr{base + size - 1});
}

std::string span(std::uint64_t base, std::uint64_t size) { return fmt::format("[{:#x}-{:#x}]", base, base + size - 1); }

// Every place that wrote the node: the definition, then each override.
std::vector<RelatedLocation> override_chain(const DtNode* node) {
    std::vector<RelatedLocation> out;
    if (!node) return out;
    for (std::size_t i = 1; i < node->where.size(); ++i) out.push_back({node->where[i], "changed here", std::nullopt});
    return out;
}

SourceLocation where_of(const ReservedRegion& r, std::string_view property = "reg") {
    if (!r.node) return {};
    return r.node->location_of(property);
}

// The unit address after '@' as a number: "50000000", or "0,50000000" for two cells.
std::optional<std::uint64_t> unit_address(std::string_view name) {
    const auto at = name.find('@');
    if (at == std::string_view::npos) return std::nullopt;
    std::uint64_t value = 0;
    std::string_view rest = name.substr(at + 1);
    if (rest.empty()) return std::nullopt;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string part(rest.substr(0, comma));
        char* end = nullptr;
        const auto v = std::strtoull(part.c_str(), &end, 16);
        if (part.empty() || *end != '\0') return std::nullopt;
        value = (value << 32) | v;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return value;
}

bool inside_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end) {
    // Memory nodes may be split in several ranges that touch: walk them in order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& m : info.memory) ranges.emplace_back(m.base, m.base + m.size);
    std::sort(ranges.begin(), ranges.end());
    std::uint64_t covered = base;
    for (const auto& [s, e] : ranges) {
        if (s > covered) continue;
        if (e > covered) covered = e;
        if (covered >= end) return true;
    }
    return covered >= end;
}

bool touches_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end) {
    return std::any_of(info.memory.begin(), info.memory.end(), [&](const FdtMemoryRange& m) { return m.base < end && base < m.base + m.size; });
}

// The largest block of `size` at `align` the memblock free space of [start, end) could still hold,
// for telling a user how short a window was.
std::uint64_t largest_free(const Memblock& mb, std::uint64_t start, std::uint64_t end, std::uint64_t align) {
    std::uint64_t best = 0;
    for (const auto& f : mb.free_ranges(kNumaNoNode, memblock_flag::none)) {
        const std::uint64_t s = std::max(f.start, start);
        const std::uint64_t e = std::min(f.end, end);
        if (s >= e) continue;
        const std::uint64_t aligned = align ? (s + align - 1) / align * align : s;
        if (aligned < e) best = std::max(best, e - aligned);
    }
    return best;
}

std::vector<Diagnostic> tree_findings(const DeviceTree& tree, const Arm64Boot& boot, const Arm64Boot* other, const KernelProfile& profile) {
    std::vector<Diagnostic> out;
    const FdtBootInfo& info = boot.fdt;
    const bool have_memory = !info.memory.empty();
    if (!have_memory)
        out.push_back(make_finding(rules::dt_memory_unspecified, tree.root.location(),
                                   "no memory node gives any RAM (reg missing or of size 0): the bootloader fills it in, so where regions land "
                                   "cannot be predicted"));
    const auto& rm = info.reserved_memory;
    if (rm.present && !rm.format_ok) {
        const DtNode* node = tree.find("/reserved-memory");
        out.push_back(make_finding(rules::dt_rmem_cells_mismatch, node ? node->location() : SourceLocation{tree.source},
                                   fmt::format("/reserved-memory is ignored as a whole ('Reserved memory: unsupported node format, ignoring'): {}; "
                                               "none of its {} regions is reserved",
                                               rm.format_problem, rm.children.size())));
        return out;
    }

    for (const auto& child : rm.children) {
        if (!child.available || !child.node) continue;
        if (child.has_reg && child.has_size)
            out.push_back(make_finding(rules::dt_rmem_reg_and_size, child.node->location_of("size"),
                                       fmt::format("'{}' has both reg and size: the kernel reserves reg and ignores size", child.name)));
        if (!child.has_reg && !child.has_size)
            out.push_back(make_finding(rules::dt_rmem_reg_and_size, child.node->location(),
                                       fmt::format("'{}' has neither reg nor size: the kernel ignores it without a word", child.name)));
        if (child.no_map && child.reusable)
            out.push_back(make_finding(rules::dt_rmem_nomap_reusable, child.node->location_of("reusable"),
                                       fmt::format("'{}' is both no-map and reusable: a CMA pool must stay mapped, so its setup fails", child.name)));
        if (child.has_reg && !child.reg_length_invalid && !child.reg.empty()) {
            if (const auto unit = unit_address(child.name); unit && *unit != child.reg.front().first)
                out.push_back(make_finding(rules::dt_unit_address_mismatch, child.node->location(),
                                           fmt::format("'{}' says {:#x} in its name but its reg starts at {:#x}", child.name, *unit, child.reg.front().first)));
        }
    }

    for (const auto& r : boot.rmem.regions) {
        const auto related = override_chain(r.node);
        if (r.invalid) {
            auto d = make_finding(rules::dt_rmem_invalid_property, where_of(r, r.dynamic ? "size" : "reg"),
                                  fmt::format("the kernel skips '{}': {}", r.name, r.problems.empty() ? "invalid property" : r.problems.front()));
            d.related = related;
            out.push_back(std::move(d));
        }
        if (r.dropped_by_limit) {
            auto d = make_finding(rules::dt_rmem_dropped, where_of(r, r.dynamic ? "size" : "reg"),
                                  r.dynamic ? fmt::format("'{}' is past the {} regions the kernel's array holds: it is never placed", r.name,
                                                          KernelProfile::kMaxReservedRegions)
                                            : fmt::format("'{}' is past the {} regions the kernel's array holds: its memory is reserved but no "
                                                          "device can claim it (of_reserved_mem_lookup fails)",
                                                          r.name, KernelProfile::kMaxReservedRegions),
                                  r.dynamic ? std::nullopt : range_of(r.base, r.size));
            d.related = related;
            out.push_back(std::move(d));
        }
        if (r.placement_failed) {
            std::string windows;
            for (const auto& [s, e] : r.windows) {
                const std::uint64_t end = e == kAllocAnywhere ? boot.memblock.end_of_dram() : e;
                windows += fmt::format("{}[{:#x}-{:#x}]: largest free aligned block {}", windows.empty() ? "" : "; ", s, end - 1,
                                       human_size(ByteSize{largest_free(boot.memblock, s, end, r.alignment)}));
            }
            auto d = make_finding(rules::dt_rmem_unplaceable, where_of(r, "size"),
                                  fmt::format("'{}' ({}, aligned to {}) cannot be placed: {}", r.name, human_size(ByteSize{r.requested_size}),
                                              human_size(ByteSize{r.alignment}), windows.empty() ? "no window" : windows));
            d.related = related;
            out.push_back(std::move(d));
        }
        if (r.init_failed) {
            auto d = make_finding(rules::dt_rmem_init_failed, where_of(r, "compatible"),
                                  fmt::format("the setup of '{}' fails ({}): the kernel gives the memory back", r.name,
                                              r.bypassed ? "cma= on the command line bypasses linux,cma-default pools"
                                                         : (r.problems.empty() ? "compatible matching fail" : r.problems.back())),
                                  range_of(r.base, r.size));
            d.related = related;
            out.push_back(std::move(d));
        }
        // CMA pools must be whole pageblocks; which page sizes accept the region tells a board what it may run.
        const bool cma_pool = r.node && r.node->compatible_with("shared-dma-pool") && r.reusable && !r.no_map && r.size != 0 && !r.dynamic;
        if (cma_pool) {
            std::vector<std::string> failing;
            for (const auto& [shift, name] : {std::pair{12u, "4K"}, {14u, "16K"}, {16u, "64K"}}) {
                KernelProfile p = profile;
                p.page_shift = shift;
                if (((r.base | r.size) & (p.cma_min_alignment() - 1)) != 0) failing.push_back(fmt::format("{} pages ({} pageblocks)", name, human_size(ByteSize{p.cma_min_alignment()})));
            }
            const bool fails_here = ((r.base | r.size) & (profile.cma_min_alignment() - 1)) != 0;
            if (fails_here) {
                std::string list;
                for (const auto& f : failing) list += (list.empty() ? "" : ", ") + f;
                auto d = make_finding(rules::dt_rmem_cma_misaligned, where_of(r),
                                      fmt::format("CMA pool '{}' {} is not pageblock-aligned for {}: 'Reserved memory: incorrect alignment of CMA region'",
                                                  r.name, span(r.base, r.size), list),
                                      range_of(r.base, r.size));
                d.related = related;
                out.push_back(std::move(d));
            }
        }
        if (have_memory && !r.dynamic && !r.invalid) {
            for (const auto& e : r.entries) {
                if (e.size == 0 || e.base + e.size < e.base) continue;
                if (inside_memory(info, e.base, e.base + e.size)) continue;
                const bool partly = touches_memory(info, e.base, e.base + e.size);
                auto d = make_finding(rules::dt_rmem_outside_ram, where_of(r),
                                      partly ? fmt::format("'{}' {} straddles the edge of RAM: only its part inside memory nodes is reserved", r.name, span(e.base, e.size))
                                             : fmt::format("'{}' {} lies outside every memory node: {}", r.name, span(e.base, e.size),
                                                           r.no_map ? "harmless for no-map, but no RAM is kept from the kernel there"
                                                                    : "memblock records a reservation over no RAM"),
                                      range_of(e.base, e.size));
                d.related = related;
                out.push_back(std::move(d));
            }
        }
    }

    // Every overlapping pair among regions that hold memory, not only the neighbours the kernel compares.
    std::vector<const ReservedRegion*> holding;
    for (const auto& r : boot.rmem.regions)
        if (!r.invalid && r.size != 0 && (!r.dynamic || r.placed)) holding.push_back(&r);
    std::sort(holding.begin(), holding.end(), [](const auto* a, const auto* b) { return a->base < b->base; });
    for (std::size_t i = 0; i < holding.size(); ++i)
        for (std::size_t j = i + 1; j < holding.size() && holding[j]->base < holding[i]->base + holding[i]->size; ++j) {
            const auto& a = *holding[i];
            const auto& b = *holding[j];
            const bool reported = std::any_of(boot.rmem.overlaps.begin(), boot.rmem.overlaps.end(), [&](const auto& pair) {
                return &boot.rmem.regions[pair.first] == &a && &boot.rmem.regions[pair.second] == &b;
            });
            auto d = make_finding(rules::dt_rmem_overlap, where_of(b),
                                  fmt::format("'{}' {} overlaps '{}' {}{}", b.name, span(b.base, b.size), a.name, span(a.base, a.size),
                                              reported ? " (the kernel says OVERLAP DETECTED!)" : " (the kernel does not notice: they are not neighbours after its sort)"),
                                  range_of(b.base, b.size));
            d.related.push_back({where_of(a), fmt::format("'{}' is defined here", a.name), range_of(a.base, a.size)});
            if (a.node && !(a.node->location() == where_of(a))) d.related.push_back({a.node->location(), fmt::format("'{}' is declared here", a.name), std::nullopt});
            for (auto& rel : override_chain(b.node)) d.related.push_back(rel);
            out.push_back(std::move(d));
        }

    // RAM cut into slivers by static regions: a gap under one pageblock between two of them.
    if (have_memory) {
        std::vector<const ReservedRegion*> statics;
        for (const auto* r : holding)
            if (!r->dynamic) statics.push_back(r);
        const std::uint64_t threshold = profile.cma_min_alignment();
        for (std::size_t i = 0; i + 1 < statics.size(); ++i) {
            const std::uint64_t gap_start = statics[i]->base + statics[i]->size;
            const std::uint64_t gap_end = statics[i + 1]->base;
            if (gap_end <= gap_start || gap_end - gap_start >= threshold) continue;
            if (!inside_memory(info, gap_start, gap_end)) continue;
            out.push_back(make_finding(rules::dt_rmem_ram_fragment, where_of(*statics[i + 1]),
                                       fmt::format("'{}' and '{}' leave only {} of RAM between them {}, less than one pageblock ({})", statics[i]->name,
                                                   statics[i + 1]->name, human_size(ByteSize{gap_end - gap_start}), span(gap_start, gap_end - gap_start),
                                                   human_size(ByteSize{threshold})),
                                       range_of(gap_start, gap_end - gap_start)));
        }
    }

    if (other && have_memory) {
        for (const auto& r : boot.rmem.regions) {
            const auto it = std::find_if(other->rmem.regions.begin(), other->rmem.regions.end(), [&](const ReservedRegion& o) { return o.path == r.path; });
            if (it == other->rmem.regions.end()) continue;
            const auto& o = *it;
            const std::string_view other_name = profile.dynamic_reserved_mem_array() ? "6.1" : "6.12 and later";
            std::string change;
            if (r.dropped_by_limit != o.dropped_by_limit)
                change = o.dropped_by_limit ? fmt::format("{} drops it (64-entry array)", other_name) : fmt::format("{} keeps it", other_name);
            else if (r.dynamic && r.placed && o.placed && r.base != o.base)
                change = fmt::format("{} places it at {:#x} instead of {:#x}", other_name, o.base, r.base);
            else if (r.dynamic && r.placed != o.placed)
                change = o.placed ? fmt::format("{} places it at {:#x}", other_name, o.base) : fmt::format("{} cannot place it", other_name);
            if (change.empty()) continue;
            out.push_back(make_finding(rules::dt_rmem_profile_change, where_of(r, r.dynamic ? "size" : "reg"), fmt::format("'{}': {}", r.name, change)));
        }
    }
    return out;
}


// Each finding points at a node or one of its properties; name that node, so reports can give the
// node path (a SARIF logical location) and fingerprints tell apart nodes that share a range.
void name_subjects(const DeviceTree& tree, std::vector<Diagnostic>& findings) {
    using Key = std::tuple<std::string, std::uint32_t, std::uint32_t, std::optional<std::uint64_t>>;
    const auto key = [](const SourceLocation& at) { return Key{at.file, at.line, at.column, at.byte_offset}; };
    std::map<Key, const std::string*> owner;
    const auto visit = [&](const auto& self, const DtNode& node) -> void {
        if (!node.where.empty()) owner.emplace(key(node.where.front()), &node.path);
        for (const auto& prop : node.properties)
            if (!prop.where.empty()) owner.emplace(key(prop.where.front()), &node.path);
        for (const auto& child : node.children) self(self, child);
    };
    visit(visit, tree.root);
    for (auto& d : findings) {
        if (!d.subject.empty() || d.where.file.empty()) continue;
        if (const auto it = owner.find(key(d.where)); it != owner.end()) d.subject = *it->second;
    }
}

}  // namespace

std::vector<Diagnostic> check_device_tree(const DeviceTree& tree, const Arm64Boot& boot, const Arm64Boot* other, const KernelProfile& profile) {
    auto out = tree_findings(tree, boot, other, profile);
    name_subjects(tree, out);
    return out;
}

}  // namespace bootmap
