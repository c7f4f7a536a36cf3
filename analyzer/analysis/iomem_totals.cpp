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

RangeMap<MemoryKind> label_iomem(const IomemTree& tree) {
    RangeMap<MemoryKind> map;
    std::vector<MemoryKind> kinds(tree.entries.size(), MemoryKind::device);
    // Entries are in pre-order, so a parent's label is known before its children are visited.
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        std::optional<MemoryKind> parent_kind;
        if (e.parent) parent_kind = kinds[*e.parent];
        kinds[i] = kind_of(e, parent_kind);
        if (auto range = e.range()) map.assign(*range, kinds[i]);
    }
    return map;
}

IomemTotals iomem_totals(const IomemTree& tree) {
    const RangeMap<MemoryKind> map = label_iomem(tree);
    IomemTotals totals;
    PhysAddr top{0};
    for (const auto& span : map.spans()) {
        top = std::max(top, span.range.end());
        auto& slot = totals.bytes[static_cast<std::size_t>(span.label)];
        slot = ByteSize{slot.bytes() + span.range.size().bytes()};
    }
    totals.span = *AddrRange::from_bounds(PhysAddr{0}, top);
    totals.holes = map.gaps(totals.span);
    std::uint64_t hole_bytes = 0;
    for (const auto& hole : totals.holes) hole_bytes += hole.size().bytes();
    totals.bytes[static_cast<std::size_t>(MemoryKind::hole)] = ByteSize{hole_bytes};
    return totals;
}

}  // namespace bootmap
