#pragma once
// Every byte of the address space an iomem dump covers gets one label, so that RAM, reserved,
// device and hole bytes add up to the span exactly.

#include <array>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/range_map.hpp"
#include "model/iomem.hpp"

namespace bootmap {

enum class MemoryKind {
    system_ram,         // "System RAM" present at boot
    ram_reserved,       // "reserved"/"Reserved" children of RAM (memblock reservations, no-map)
    hotplug_ram,        // RAM added later: "System RAM (kmem)", "(driver managed)", RAM below pmem/dax
    soft_reserved,      // EFI specific-purpose memory not (yet) given to the kernel
    persistent_memory,  // "Persistent Memory" and "(legacy)" not used as RAM
    firmware_reserved,  // "Reserved" outside RAM: e820/firmware reservations
    device,             // everything else: MMIO, PCI windows, ROMs, device registers
    hole,               // no resource at all
};
inline constexpr std::size_t kMemoryKindCount = 8;

std::string_view memory_kind_name(MemoryKind kind);

struct IomemTotals {
    AddrRange span;  // from 0 to the end of the highest resource
    std::array<ByteSize, kMemoryKindCount> bytes{};
    std::vector<AddrRange> holes;  // unlabelled stretches inside span, in address order

    [[nodiscard]] ByteSize of(MemoryKind kind) const { return bytes[static_cast<std::size_t>(kind)]; }
};

// Each entry's label, by index (an entry whose name says nothing about memory takes its parent's).
std::vector<MemoryKind> iomem_entry_kinds(const IomemTree& tree);

// The label map itself, for the memory map view and for tests of the reconciliation: every entry's
// label over its range, a later entry (a child) overwriting an earlier one.
RangeMap<MemoryKind> label_iomem(const IomemTree& tree);
// The same by assigning entry after entry into the map: the definition label_iomem() is tested
// against (it sweeps well-nested trees in linear time and falls back to this for broken ones).
RangeMap<MemoryKind> label_iomem_by_overwrite(const IomemTree& tree);
IomemTotals iomem_totals(const IomemTree& tree);

}  // namespace bootmap
