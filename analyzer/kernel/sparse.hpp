#pragma once
// sparse_init() (mm/sparse.c, 6.1): the struct pages of each node's present sections, allocated
// from memblock in one block per node before the page allocator exists. It lands top-down at the
// end of the node's RAM, which is why the highest 1 GiB of RAM is never free for gigantic pages.

#include <cstdint>

#include "kernel/memblock.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

// sparse_buffer_init() for every node: sections × section_map_size(), aligned to it (a PMD),
// exactly on the node, not below `min_addr` (__pa(MAX_DMA_ADDRESS) on x86_64, the start of DRAM on arm64).
void sparse_init_memmap(Memblock& mb, const KernelProfile& profile, std::uint64_t min_addr);

}  // namespace bootmap
