#pragma once
// x86 NUMA from the ACPI SRAT (6.1 and 6.12): drivers/acpi/numa/srat.c and arch/x86/mm/srat.c number the
// proximity domains and collect memory blocks, arch/x86/mm/numa.c numa_cleanup_meminfo() trims them
// to RAM and joins each node's blocks. The log lines are the kernel's.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/memblock.hpp"
#include "model/srat.hpp"

namespace bootmap {

struct NumaBlock {
    int nid;
    std::uint64_t start;
    std::uint64_t end;  // exclusive
    int entry = -1;     // the SRAT memory entry it came from (index into SratTable::memory), -1 when made up
};

// Why NUMA init rejected the SRAT; the kernel then fakes one node over all of RAM.
struct NumaFailure {
    std::string kernel_line;   // the kernel's own words
    std::vector<int> entries;  // the SRAT memory entries it names (indices), if any
    std::vector<std::pair<std::uint64_t, std::uint64_t>> uncovered;  // [start, end) of RAM no node holds, for a coverage failure
};

struct NumaSetup {
    std::map<std::uint32_t, int> pxm_to_node;
    std::vector<NumaBlock> blocks;  // numa_meminfo after cleanup
    bool failed = false;            // NUMA init rejected the configuration
    std::optional<NumaFailure> failure;
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
// blocks joined where no other node's lie between (with the kernel's lines). A failure when two
// nodes overlap (NUMA init fails).
std::optional<NumaFailure> numa_cleanup_meminfo(std::vector<NumaBlock>& blocks, const MemblockType& memory, const NumaLimits& limits,
                                                std::vector<std::string>& log);

// The coverage check of numa_register_memblks(): 6.1's numa_meminfo_cover_memory() (RAM below max_pfn
// that no block holds, 1 MiB of slack) or, from 6.12, memblock_validate_numa_coverage(SZ_1M) (memblock
// pages left without a node). A failure when too much RAM has no node.
std::optional<NumaFailure> numa_check_coverage(const std::vector<NumaBlock>& blocks, const MemblockType& memory, std::uint64_t ram_end,
                                               const KernelProfile& profile);

}  // namespace bootmap
