#pragma once
// What the page allocator ends up managing: mem_init()'s "Memory: A/B available" accounting and
// /proc/meminfo's MemTotal after boot (totalram_pages once the init sections and the initrd are
// freed). The kernel counts every present page (free_area_init()) and keeps out what memblock still
// holds when memblock_free_all() runs; this estimate names those holdings one by one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/memblock.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

// The kernel image's static parts as mem_init() prints them ("14343K kernel code, 2338K rwdata, ...").
struct KernelImageSizes {
    std::uint64_t code = 0, rwdata = 0, rodata = 0, init = 0, bss = 0;  // bytes
    [[nodiscard]] std::uint64_t kept() const { return code + rwdata + rodata + bss; }  // init is freed after boot
};

// Debian's builds as their boots print them (6.1.192 and 6.12.118, amd64 and arm64); the nearest for
// other versions.
KernelImageSizes debian_kernel_image_sizes(const KernelProfile& profile);

struct MemTotalPart {
    std::string what;
    std::uint64_t bytes = 0;
};

struct MemTotalEstimate {
    std::uint64_t present = 0;  // RAM pages in zones: mem_init()'s B, the "physpages"
    std::vector<MemTotalPart> kept;  // what memblock still holds at memblock_free_all(), by kind
    std::uint64_t mem_total = 0;
    std::vector<std::string> left_out;  // what the estimate does not model
};

struct MemTotalInputs {
    const MemblockType* memory = nullptr;  // memblock.memory at mem_init (nomap regions counted as present, as the kernel does)
    std::uint64_t max_pfn = 0;             // pages at and above it are in no zone
    KernelImageSizes image;
    std::vector<MemTotalPart> carve_outs;  // boot reservations kept for good: crash kernel, swiotlb, reserved-memory, ...
};

// The struct pages of every present memory section (SPARSEMEM_VMEMMAP, 64 bytes a page) are part of
// the estimate, and so is an allowance for the kernel's other early allocations (page tables of the
// direct map, per-CPU areas, node data), fitted on the captures: both are in `kept`.
MemTotalEstimate estimate_mem_total(const MemTotalInputs& in, const KernelProfile& profile);

}  // namespace bootmap
