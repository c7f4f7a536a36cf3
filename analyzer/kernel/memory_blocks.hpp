#pragma once
// The memory block devices (/sys/devices/system/memory/memoryN, drivers/base/memory.c, 6.1): one per
// block of sections with memory present at boot, online; then one per block hot-added later (DAX
// kmem), online or offline as memhp_default_state says.

#include <cstdint>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "grammars/kernel_cmdline.hpp"
#include "kernel/memblock.hpp"

namespace bootmap {

struct MemoryBlock {
    std::uint64_t id = 0;           // memoryN
    std::uint64_t phys_index = 0;   // its first section
    bool online = false;
    bool hotplugged = false;
};

// Whether hot-added memory is onlined: memhp_default_state= on the command line, else the kernel's
// build default (Debian's 6.1: offline, CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE unset).
bool hotplug_onlines(const std::vector<grammars::CmdlineParam>& params, bool build_default_online = false);

// `boot`: memblock.memory at boot; `hotplugged`: block-aligned ranges added later.
std::vector<MemoryBlock> memory_blocks(const MemblockType& boot, std::uint64_t block_size, std::uint64_t section_size,
                                       const std::vector<AddrRange>& hotplugged, bool online_hotplugged, std::uint64_t physmem_end);

}  // namespace bootmap
