#pragma once
// dmem= of the "mm: support direct memory reservation" RFC (seed 000; never merged, so the seed is
// the reference): per-NUMA-node reservation carved from the top of free memory in align-sized
// windows, or a fixed [addr, addr+size) window, with the region table limit and the seed's
// messages, quirks included (the failure line prints the dmem= size, not the shortfall).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "grammars/boot_params.hpp"
#include "kernel/memblock.hpp"

namespace bootmap {

struct DmemRegion {
    int nid;
    std::uint64_t start;
    std::uint64_t end;  // exclusive, as the seed prints it
};

struct DmemOutcome {
    grammars::DmemParam param;
    std::vector<DmemRegion> regions;
    std::map<int, std::uint64_t> free;       // per node, before dmem (per-node mode)
    std::map<int, std::uint64_t> requested;  // per node (per-node mode)
    std::map<int, std::uint64_t> carved;     // per node: bytes registered
    std::map<int, std::uint64_t> missing;    // per node: what the kernel could not carve
    std::uint64_t missing_fixed = 0;          // @addr mode: what was not carved
    // movable_node: per node, the SRAT's hotpluggable memory the walk passes over (it never counts as free).
    std::map<int, std::uint64_t> hotplug_skipped;
    bool table_full = false;                  // "dmem: region is not sufficient."
    std::vector<std::string> log;
};

// INIT_REGION_NUM: two pages of 88-byte region descriptors (93 with 4 KiB pages).
std::size_t dmem_region_limit(const KernelProfile& profile);

// Carves from `memblock` (removing what it takes from memory, as dmem_remove_memblock() does), in
// one walk over the free ranges.
DmemOutcome reserve_dmem(Memblock& memblock, const grammars::DmemParam& param, const KernelProfile& profile);

// The seed's loop as written, restarting the walk from the top after every carve: quadratic, kept
// as the reference the single walk is tested against.
DmemOutcome reserve_dmem_rewalking(Memblock& memblock, const grammars::DmemParam& param, const KernelProfile& profile);

}  // namespace bootmap
