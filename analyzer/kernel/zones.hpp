#pragma once
// Zone layouts (6.1) of x86_64 and arm64: zone_sizes_init() limits, free_area_init()'s global zone ranges,
// find_zone_movable_pfns_for_nodes() for kernelcore=/movablecore=/movable_node, and the early
// memory node ranges, all as page frame numbers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/memblock.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct ZoneRange {
    std::string name;         // "DMA", "DMA32", "Normal", "Device"
    std::uint64_t start_pfn;  // lo == hi: empty
    std::uint64_t end_pfn;
};

struct NodePfnRange {
    int nid;
    std::uint64_t start_pfn;
    std::uint64_t end_pfn;
};

struct ZoneLayout {
    std::vector<ZoneRange> zones;
    std::map<int, std::uint64_t> movable_start_pfn;  // only nodes with a ZONE_MOVABLE
    std::vector<NodePfnRange> node_ranges;
    std::vector<std::string> notes;                  // what was not modelled (kernelcore=mirror)
};

// `max_pfn`: the end of RAM in pages (e820); `memory`: memblock.memory with node ids set.
ZoneLayout x86_zone_layout(const MemblockType& memory, std::uint64_t max_pfn, const KernelCommandLine* cmdline, const KernelProfile& profile);

// arm64 (6.1): `dma_phys_limit` is max_zone_phys(32), the end of ZONE_DMA; `memory` after NUMA init.
ZoneLayout arm64_zone_layout(const MemblockType& memory, std::uint64_t dma_phys_limit, const KernelCommandLine* cmdline, const KernelProfile& profile);

// The architecture-independent part: zones ending at `limits` (name, end pfn) in order, an empty
// ZONE_DEVICE line when the build has one, ZONE_MOVABLE from kernelcore=/movablecore=/movable_node.
ZoneLayout zone_layout(const MemblockType& memory, const std::vector<std::pair<std::string, std::uint64_t>>& limits, bool device_zone,
                       const KernelCommandLine* cmdline, const KernelProfile& profile);

}  // namespace bootmap
