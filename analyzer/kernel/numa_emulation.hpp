#pragma once
// numa=fake= (arch/x86/mm/numa_emulation.c, 6.1): after NUMA init, the physical nodes' memory is cut
// into emulated nodes: "N" nodes of equal usable size interleaved over the physical nodes, "SIZE"
// (M/G) nodes of at least that size, or "NU" nodes per physical node. Each cut prints "Faking node
// ...", and the emulated blocks go through numa_cleanup_meminfo() again.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/memblock.hpp"
#include "kernel/numa.hpp"

namespace bootmap {

struct NumaEmulation {
    bool applied = false;            // false: emulation failed or was refused, the physical nodes stay
    std::vector<NumaBlock> blocks;   // the emulated numa_meminfo after cleanup
    std::vector<std::string> log;    // the kernel's lines, in order
};

// `spec`: what follows "numa=fake="; `physical`: numa_meminfo after cleanup; `nodes_parsed`: every
// node NUMA init found (memory-less ones too); `memory`: memblock.memory (its holes count as absent);
// `max_addr`: max_pfn << PAGE_SHIFT.
NumaEmulation emulate_numa(std::string_view spec, const std::vector<NumaBlock>& physical, const std::set<int>& nodes_parsed,
                           const MemblockType& memory, std::uint64_t max_addr, const NumaLimits& limits);

}  // namespace bootmap
