#pragma once
// arm64 setup_arch() (6.1) from the device tree to the crash kernel: memory nodes into memblock,
// mem=, the initrd and the kernel image, the DTB itself, the device-tree reserved memory, then what
// bootmem_init() reserves before the default CMA area (page tables, the memory map of each node)
// and the CMA area and crash kernel themselves.
//
// Where the bootloader put the kernel, initrd and DTB is not in the tree (the initrd is, when the
// bootloader writes /chosen): the defaults are those of QEMU's virt machine with Debian's 6.1 image
// and nokaslr, and every one can be given. What bootmem_init() allocates before CMA is estimated
// (page tables for a page-granular linear map, 256 KiB of small allocations, 2 MiB of memmap per
// 128 MiB section, per node): it decides where the default CMA area lands only at 2 MiB granularity.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/cma.hpp"
#include "kernel/hugetlb_cma.hpp"
#include "kernel/fdt_scan.hpp"
#include "kernel/memblock.hpp"
#include "kernel/reserved_mem.hpp"
#include "model/device_tree.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct Arm64CrashkernelOutcome {
    bool reserved = false;
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    // crashkernel=Y,low (or the default low area of the generic code) when the main area went high.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> low;  // base, size
};

// A reservation the boot makes that comes from the configuration (not from the kernel's own needs).
struct ConfiguredReservation {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::string origin;  // "/memreserve/", the region path, "cma=", "crashkernel="
    bool no_map = false;
    bool cma = false;  // a CMA area (cma=, the default one, hugetlb_cma=, a reusable pool): the page allocator manages it
};

struct Arm64Boot {
    std::shared_ptr<const DeviceTree> tree;  // the nodes below point into it
    FdtBootInfo fdt;
    Memblock memblock;
    ReservedMemResult rmem;
    std::optional<CmaOutcome> cma;
    std::optional<HugetlbCmaOutcome> hugetlb_cma;  // hugetlb_cma=
    std::optional<Arm64CrashkernelOutcome> crashkernel;
    std::pair<std::uint64_t, std::uint64_t> kernel_image{0, 0};  // [_stext, _end) base, size
    std::optional<std::pair<std::uint64_t, std::uint64_t>> initrd;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> fdt_blob;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> efi_acpi_reclaim;  // reserved by reserve_regions()
    std::uint64_t dma_phys_limit = 0;
    // mem=: memblock_mem_limit_remove_map() counts every memory region, no-map ones too (UEFI's
    // runtime and MMIO regions, marked by then): those below the limit leave that much less RAM.
    struct MemLimit {
        std::uint64_t requested = 0;
        std::uint64_t end = 0;          // where mapped RAM ends once capped
        std::uint64_t nomap_below = 0;  // no-map bytes below that end, counted against the limit
    };
    std::optional<MemLimit> mem_limit;
    std::vector<ConfiguredReservation> configured;
    std::vector<std::string> log;  // the kernel's lines about memory, in boot order
    // arch_numa_init()'s lines without the NODE_DATA ones (those carry allocation addresses).
    std::vector<std::string> numa_log;
    std::vector<std::string> assumptions;  // what the prediction took for granted
    bool kernel_image_assumed = false;  // no input said where the image is: Debian's default place stands in
};

// The command line the kernel uses: the one given, else /chosen/bootargs.
Arm64Boot replay_arm64_boot(const std::shared_ptr<const DeviceTree>& tree, const KernelCommandLine* cmdline, const KernelProfile& profile, const BootPlacement& placement);

// The default placement: Debian's 6.1 arm64 image loaded 2 MiB into the first memory range
// (QEMU's -kernel), nokaslr.
std::pair<std::uint64_t, std::uint64_t> default_arm64_kernel_image(std::uint64_t dram_start);

}  // namespace bootmap
