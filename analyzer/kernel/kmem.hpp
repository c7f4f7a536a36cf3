#pragma once
// DAX kmem (drivers/dax/kmem.c, 6.1): which part of a device-DAX range becomes System RAM, given that
// memory hotplug works in whole memory blocks (drivers/base/memory.c), and how big those blocks are
// (arch/x86/mm/init_64.c probe_memory_block_size(); one section elsewhere).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "model/dax_namespace.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

// How the x86_64 kernel chooses the block size: below 64 GiB of boot memory always 128 MiB; above,
// 2 GiB on bare metal, and in a VM the largest power of two up to 2 GiB that divides the end of boot
// memory.
struct MemoryBlockInputs {
    std::uint64_t boot_mem_end = 0;  // max_pfn << PAGE_SHIFT
    bool hypervisor = true;          // X86_FEATURE_HYPERVISOR
};
std::uint64_t memory_block_size(const KernelProfile& profile, const MemoryBlockInputs& machine);

enum class KmemPolicy {
    kernel,   // 6.1: both ends aligned to the memory block size
    relaxed,  // seed 004's RFC (never merged): both ends aligned to the largest buddy page only
};

// What kmem works in on one machine: memory blocks, pages, and where hotplug stops.
struct KmemGeometry {
    std::uint64_t block_size = 128ull << 20;
    std::uint64_t page_size = 4096;
    std::uint64_t physmem_end = 1ull << 46;
};

// Seed 004's RFC (patch 5/6 against v5.8) aligns kmem's start and size to
// 1 << (min(MAX_ORDER - 1, get_order(size)) + PAGE_SHIFT), what online_pages_range() still needs:
// 4 MiB with 4 KiB pages, 32 MiB with arm64's 16 KiB, 512 MiB with its 64 KiB (MAX_ORDER 11, 12, 14
// in v5.8's arm64 and x86 configurations).
std::uint64_t relaxed_kmem_alignment(std::uint64_t device_size, std::uint64_t page_size);

// The alignments a devdax namespace may have (nd_pfn_supported_alignments(): a page, a PMD huge page
// and, with 4 KiB pages, a PUD one) and the default ndctl takes (the PMD size).
std::vector<std::uint64_t> namespace_alignments(std::uint64_t page_size);
std::uint64_t default_namespace_alignment(std::uint64_t page_size);

struct KmemRangePlan {
    AddrRange range;                      // the dax device's range
    std::optional<AddrRange> hotplug;     // what is added as System RAM (kmem); nullopt: too small
    ByteSize stranded_head;
    ByteSize stranded_tail;
    [[nodiscard]] ByteSize stranded() const { return ByteSize{stranded_head.bytes() + stranded_tail.bytes()}; }
    [[nodiscard]] ByteSize usable() const { return hotplug ? hotplug->size() : ByteSize{0}; }
};

// dax_kmem_range() (drivers/dax/kmem.c): the part of one dax range kmem hot-adds, its start rounded
// up and its end down to the memory block size (or, relaxed, the start to a page).
KmemRangePlan plan_kmem_range(AddrRange range, std::uint64_t block_size, KmemPolicy policy, std::uint64_t page_size = 4096);
// Every memory block size (a power of two, 4 KiB to 1 TiB) under which kmem adds exactly `added` for a
// device that starts at `device_start` (and ends at `device_end`, when that is known): what a dump's
// "System RAM (kmem)" proves about the block size. Empty when none is.
std::vector<std::uint64_t> block_sizes_consistent_with(AddrRange added, PhysAddr device_start, std::optional<PhysAddr> device_end);

// A device-DAX namespace over a pmem range gives the dax device what its info block and, with
// map=dev, the page map stored on the media leave (drivers/nvdimm/pfn_devs.c nd_pfn_init(), 6.1):
// 8 KiB of info block plus 64 bytes per page, rounded up to the namespace's alignment (2 MiB by
// default, ndctl's --align), and the tail cut down to that alignment. nullopt when the start is not
// 2 MiB aligned (the kernel refuses the namespace) or nothing is left.
std::optional<AddrRange> devdax_range(AddrRange ns, DevdaxMap map, std::uint64_t align = 2ull << 20, std::uint64_t page_size = 4096);

// One pmem region made a devdax namespace and given to kmem (daxctl reconfigure-device
// --mode=system-ram): the resources the kernel inserts below the region's "Persistent Memory"
// entry. "namespaceN.0" keeps what precedes the dax data (info block, page map, alignment pad);
// kmem requests the block-aligned part of the dax range as "daxN.0" and adds it below as
// "System RAM (kmem)".
struct DaxKmemBinding {
    AddrRange region;
    std::string namespace_name;           // "namespace0.0"
    std::string dax_name;                 // "dax0.0"
    std::optional<AddrRange> reserve;     // [region start, dax start); nullopt when the namespace is refused
    std::optional<AddrRange> dax;         // the dax device's range
    KmemRangePlan plan;                   // what kmem makes of it
    // The block-aligned range lies beyond the pluggable range: add_memory_driver_managed() fails, kmem
    // releases daxN.0 and the probe fails (-E2BIG); nothing becomes RAM.
    bool add_failed = false;
    [[nodiscard]] bool hot_added() const { return plan.hotplug && !add_failed; }
};
// Regions are numbered in the order given (nd_e820 registers them in e820 order).
std::vector<DaxKmemBinding> bind_dax_kmem(const std::vector<AddrRange>& regions, const DaxNamespaceOptions& options, const KmemGeometry& geometry);

// The driver's lines for one device (dev_warn prefix "kmem <device>: "); empty when all goes well.
std::vector<std::string> kmem_messages(const std::string& device, const std::vector<KmemRangePlan>& ranges);
// add_memory_driver_managed() refuses a range that ends past the pluggable range
// (mhp_range_allowed()): memory hotplug's line, kmem's and the driver core's for a device whose only
// mapping is `hotplug`.
[[nodiscard]] bool hotplug_addressable(AddrRange hotplug, std::uint64_t physmem_end);
std::vector<std::string> kmem_add_failure_messages(const std::string& device, AddrRange hotplug, std::uint64_t physmem_end);
// The lines of a binding given to kmem: the driver's, and when the add fails, memory hotplug's and
// the driver core's.
std::vector<std::string> kmem_binding_messages(const DaxKmemBinding& binding, std::uint64_t physmem_end);

}  // namespace bootmap
