#pragma once
// The kernel's boot of one machine, replayed once: every command that predicts, audits or lints
// reads this value instead of replaying on its own, so no two commands can disagree on what the
// kernel did.

#include <cstdint>
#include <optional>
#include <vector>

#include "kernel/arm64_boot.hpp"
#include "kernel/kmem.hpp"
#include "kernel/x86_boot.hpp"
#include "model/machine.hpp"

namespace bootmap {

// What the inputs cannot say about memory blocks: a size the user fixes (--memory-block-size) and
// whether the machine is a VM (probe_memory_block_size() differs on bare metal).
struct MemoryBlockFacts {
    std::uint64_t given = 0;  // 0: the log's own, else the kernel's rule
    bool hypervisor = true;
};

struct BootReplay {
    // The command line the kernel has: the machine's, cut to COMMAND_LINE_SIZE - 1 bytes when longer.
    std::optional<KernelCommandLine> cmdline;
    std::optional<X86Boot> x86;      // x86_64 with a firmware map
    std::optional<Arm64Boot> arm64;  // a device tree
    // x86 with a firmware map: the memory block size of the booted machine (given, else the log's
    // "Memory block size", else the kernel's rule over the booted map's end of RAM).
    std::optional<std::uint64_t> memory_block_size;
    // --dax-kmem on a kernel with the kmem driver (5.1): the booted map's pmem entries (memmap=nn!ss or
    // the firmware's), in e820 order as nd_e820 registers them, and what becomes of each.
    std::vector<PmemRegion> dax_kmem_regions;
    std::vector<DaxKmemBinding> dax_kmem;
};

BootReplay replay_boot(const Machine& machine, const MemoryBlockFacts& blocks = {});

}  // namespace bootmap
