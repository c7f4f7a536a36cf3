#include "analysis/iomem_totals.hpp"

#include <algorithm>
#include <optional>

#include "kernel/resource_tree.hpp"

namespace bootmap {

std::string_view memory_kind_name(MemoryKind kind) {
    switch (kind) {
        case MemoryKind::system_ram: return "System RAM";
        case MemoryKind::ram_reserved: return "reserved in RAM";
        case MemoryKind::hotplug_ram: return "hot-added RAM (kmem, driver managed)";
        case MemoryKind::soft_reserved: return "Soft Reserved";
        case MemoryKind::persistent_memory: return "Persistent Memory";
        case MemoryKind::firmware_reserved: return "firmware Reserved";
        case MemoryKind::device: return "device / MMIO";
        case MemoryKind::hole: return "holes";
    }
    return "?";
}

namespace {

bool is_ram(MemoryKind kind) { return kind == MemoryKind::system_ram || kind == MemoryKind::hotplug_ram; }

// The label of an entry given its parent's label (nullopt at top level). Entries whose name says
// nothing about memory (Kernel code, dax0.0, namespace0.0, PCI devices) take their parent's label.
MemoryKind kind_of(const IomemEntry& entry, std::optional<MemoryKind> parent) {
    const std::string_view name = entry.name;
    if (is_system_ram_name(name)) {
        if (name != "System RAM") return MemoryKind::hotplug_ram;
        return parent && !is_ram(*parent) ? MemoryKind::hotplug_ram : MemoryKind::system_ram;
    }
    if (name == "Soft Reserved") return MemoryKind::soft_reserved;
    if (name == "Persistent Memory" || name == "Persistent Memory (legacy)") return MemoryKind::persistent_memory;
    if (name == "Reserved" || name == "reserved")
        return parent && is_ram(*parent) ? MemoryKind::ram_reserved : MemoryKind::firmware_reserved;
    return parent ? *parent : MemoryKind::device;
}

}  // namespace

// Entries are in pre-order, so a parent's label is known before its children are visited.
std::vector<MemoryKind> iomem_entry_kinds(const IomemTree& tree) {
    std::vector<MemoryKind> kinds(tree.entries.size(), MemoryKind::device);
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        kinds[i] = kind_of(e, e.parent ? std::optional(kinds[*e.parent]) : std::nullopt);
    }
    return kinds;
}

namespace {

// The labels of a well-nested tree (each entry inside its parent, siblings in address order and
// disjoint: what a kernel prints) in one pre-order sweep: an entry's bytes are its own except where
// a child covers them. Each labelled span goes to `visit`, in address order; false as soon as the
// tree is not well nested.
template <class Visit>
bool sweep_labels(const IomemTree& tree, const std::vector<MemoryKind>& kinds, Visit&& visit) {
    struct Open {
        std::size_t index;
        AddrRange range;
        PhysAddr cursor;  // the first of its bytes not yet labelled
    };
    std::vector<Open> open;
    PhysAddr top_end{0};
    const auto close = [&] {
        const Open& done = open.back();
        if (done.cursor < done.range.end()) visit(*AddrRange::from_bounds(done.cursor, done.range.end()), kinds[done.index]);
        open.pop_back();
    };
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        const auto range = e.range();
        if (!range) return false;
        while (!open.empty() && (!e.parent || open.back().index != *e.parent)) close();
        if (open.empty()) {
            if (e.parent || range->begin() < top_end) return false;
            top_end = range->end();
        } else {
            Open& parent = open.back();
            if (range->begin() < parent.cursor || range->end() > parent.range.end()) return false;
            if (parent.cursor < range->begin()) visit(*AddrRange::from_bounds(parent.cursor, range->begin()), kinds[parent.index]);
            parent.cursor = range->end();
        }
        open.push_back({i, *range, range->begin()});
    }
    while (!open.empty()) close();
    return true;
}

// The totals of labelled spans seen in address order: bytes per kind, and the holes between them
// from address 0 on. `ordered` turns false if a span starts before the previous one ended.
struct TotalsAccumulator {
    IomemTotals totals;
    PhysAddr top{0};
    bool ordered = true;

    void add(AddrRange range, MemoryKind kind) {
        if (range.empty()) return;
        if (range.begin() < top) {
            ordered = false;
            return;
        }
        if (top < range.begin()) totals.holes.push_back(*AddrRange::from_bounds(top, range.begin()));
        auto& slot = totals.bytes[static_cast<std::size_t>(kind)];
        slot = ByteSize{slot.bytes() + range.size().bytes()};
        top = range.end();
    }
    IomemTotals finish() && {
        totals.span = *AddrRange::from_bounds(PhysAddr{0}, top);
        std::uint64_t hole_bytes = 0;
        for (const auto& hole : totals.holes) hole_bytes += hole.size().bytes();
        totals.bytes[static_cast<std::size_t>(MemoryKind::hole)] = ByteSize{hole_bytes};
        return std::move(totals);
    }
};

}  // namespace

RangeMap<MemoryKind> label_iomem_by_overwrite(const IomemTree& tree) {
    RangeMap<MemoryKind> map;
    const auto kinds = iomem_entry_kinds(tree);
    for (std::size_t i = 0; i < tree.entries.size(); ++i)
        if (auto range = tree.entries[i].range()) map.assign(*range, kinds[i]);
    return map;
}

RangeMap<MemoryKind> label_iomem(const IomemTree& tree) {
    const auto kinds = iomem_entry_kinds(tree);
    std::vector<RangeMap<MemoryKind>::Span> spans;
    spans.reserve(tree.entries.size() * 2);
    if (sweep_labels(tree, kinds, [&](AddrRange range, MemoryKind kind) { spans.push_back({range, kind}); }))
        if (auto map = RangeMap<MemoryKind>::from_sorted(spans)) return std::move(map).value();
    // A broken dump (overlapping siblings, a child outside its parent): later entries overwrite.
    return label_iomem_by_overwrite(tree);
}

IomemTotals iomem_totals(const IomemTree& tree) {
    // A well-nested dump is totalled as it is swept: no map of its labels is built.
    const auto kinds = iomem_entry_kinds(tree);
    TotalsAccumulator swept;
    if (sweep_labels(tree, kinds, [&](AddrRange range, MemoryKind kind) { swept.add(range, kind); }) && swept.ordered)
        return std::move(swept).finish();
    TotalsAccumulator overwritten;
    for (const auto& span : label_iomem_by_overwrite(tree).spans()) overwritten.add(span.range, span.label);
    return std::move(overwritten).finish();
}

}  // namespace bootmap
