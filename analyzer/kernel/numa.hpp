#pragma once
// x86 NUMA from the ACPI SRAT (6.1 and 6.12): drivers/acpi/numa/srat.c and arch/x86/mm/srat.c number the
// proximity domains and collect memory blocks, arch/x86/mm/numa.c numa_cleanup_meminfo() trims them
// to RAM and joins each node's blocks. The log lines are the kernel's.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kernel/memblock.hpp"
#include "model/srat.hpp"

namespace bootmap {

struct NumaBlock {
    int nid;
    std::uint64_t start;
    std::uint64_t end;  // exclusive
};

struct NumaSetup {
    std::map<std::uint32_t, int> pxm_to_node;
    std::vector<NumaBlock> blocks;  // numa_meminfo after cleanup
    bool failed = false;            // NUMA init rejected the configuration
    std::vector<std::string> log;
};

// The bounds numa_cleanup_meminfo() trims blocks to: [0, max_pfn) in 6.1's arch/x86/mm/numa.c; from
// 6.12, where the code moved to mm/numa_memblks.c, memblock's [start, end) of DRAM (a node that
// begins at 0 now begins at the first page memblock holds: Debian 6.12.118 prints 0x00001000).
struct NumaLimits {
    std::uint64_t low = 0;
    std::uint64_t high = 0;  // exclusive
};
NumaLimits numa_meminfo_limits(const MemblockType& memory, std::uint64_t ram_end, const KernelProfile& profile);

// `memory`: memblock.memory as e820__memblock_setup() left it; `ram_end`: max_pfn << PAGE_SHIFT.
NumaSetup numa_from_srat(const SratTable& srat, const MemblockType& memory, std::uint64_t ram_end, const KernelProfile& profile);

// numa_cleanup_meminfo(): blocks without RAM set aside, the rest clamped into `limits`, each node's
// blocks joined where no other node's lie between (with the kernel's lines). false when two nodes
// overlap (NUMA init fails).
bool numa_cleanup_meminfo(std::vector<NumaBlock>& blocks, const MemblockType& memory, const NumaLimits& limits, std::vector<std::string>& log);

}  // namespace bootmap
