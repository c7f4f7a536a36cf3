#pragma once
// The kernel version and architecture a model follows. Models ask the profile, never a global, for
// every constant and behaviour switch that changed between kernel releases or differs by arch.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/kernel_version.hpp"
#include "model/version_gates.hpp"

namespace bootmap {

enum class Arch { x86_64, arm64, arm, riscv64, powerpc64, s390x, loongarch64 };

struct KernelProfile {
    KernelVersion version{};
    Arch arch = Arch::x86_64;
    // Whether this kernel has a behaviour of the version-gate table.
    [[nodiscard]] bool has(Gate gate) const { return gate_open(gate, version); }
    // CONFIG_NODES_SHIFT. Debian's x86_64 kernels set MAXSMP (NR_CPUS 8192, as the 6.1 captures show),
    // which implies 10; it sizes E820_MAX_ENTRIES among others.
    unsigned nodes_shift = 10;
    // Debian's arm64 build sets CONFIG_NODES_SHIFT=4: its UEFI boots warn of "invalid memblk node 16".
    [[nodiscard]] unsigned effective_nodes_shift() const { return arch == Arch::arm64 ? 4 : nodes_shift; }
    unsigned page_shift = 12;

    // Memory hot-add requests its resource with __request_region() and may land below a non-busy
    // resource (mm/memory_hotplug.c register_memory_resource(), since 5.1); before, it could only be
    // a top-level resource (request_resource_conflict()).
    [[nodiscard]] bool hotplug_ram_may_nest() const { return has(Gate::hotplug_ram_nests); }
    // SECTION_SIZE_BITS: 27 on x86_64; on arm64 30 before 5.12, after it 27 with 4 KiB and 16 KiB
    // pages and 29 with 64 KiB (arch/arm64/include/asm/sparsemem.h); 24 on powerpc64; 28 on s390x;
    // 27 elsewhere.
    [[nodiscard]] std::uint64_t section_size() const {
        if (arch == Arch::arm64) return !has(Gate::arm64_sections_128m) ? 1ull << 30 : page_shift == 16 ? 1ull << 29 : 1ull << 27;
        if (arch == Arch::powerpc64) return 1ull << 24;
        if (arch == Arch::s390x) return 1ull << 28;
        return 1ull << 27;
    }

    // CONFIG_CMA. Debian builds its amd64 kernels without it (the 6.1 oracle boots answer cma= with
    // "Unknown kernel command line parameters ... will be passed to user space"); its arm64
    // kernels have it.
    [[nodiscard]] bool has_cma() const { return cma_config.value_or(arch != Arch::x86_64); }
    std::optional<bool> cma_config;  // --kconfig CMA=y|n: a kernel built differently from Debian's

    // The dmem RFC (seed 000) was never merged: only a kernel carrying it (--kconfig DMEM=y) acts
    // on dmem=; any other treats it as an unknown parameter.
    [[nodiscard]] bool has_dmem() const { return dmem_config.value_or(false); }
    std::optional<bool> dmem_config;

    // drivers/of/of_reserved_mem.c: 6.1 keeps every region in one static array of 64 (dynamic ones
    // placed after a sort, in heapsort order); from 6.12 (seed 001, commit 8a6e02d0c00e and the
    // dynamic array after it) dynamic regions are placed in tree order right after the static
    // ones are reserved, and the array is sized to the region count.
    // Debian's 6.12.y took the restructure at 6.12.13 (mainline v6.13); an older 6.12.y keeps 6.1's
    // fixed array of 64, as 6.1 does.
    [[nodiscard]] bool dynamic_reserved_mem_array() const { return has(Gate::rmem_restructured); }
    static constexpr std::size_t kMaxReservedRegions = 64;  // MAX_RESERVED_REGIONS
    // CMA_MIN_ALIGNMENT_BYTES: one pageblock (PMD order with 4K and 16K pages, capped by MAX_ORDER).
    [[nodiscard]] std::uint64_t cma_min_alignment() const {
        if (arch == Arch::arm64 && page_shift == 14) return std::uint64_t{32} << 20;
        if (arch == Arch::arm64 && page_shift == 16) return std::uint64_t{512} << 20;
        return std::uint64_t{2} << 20;
    }
    // efi_fake_mem=: CONFIG_EFI_FAKE_MEMMAP, off in Debian's 6.1 builds (an oracle boot lists it under
    // "Unknown kernel command line parameters"); the option left the kernel in 6.11 (37aee82c213d).
    [[nodiscard]] bool has_efi_fake_mem() const { return !has(Gate::efi_fake_mem_removed) && efi_fake_mem_config.value_or(false); }
    std::optional<bool> efi_fake_mem_config;
    // CONFIG_DMA_RESTRICTED_POOL: off in Debian's 6.1 arm64 kernel (an oracle boot shows a
    // restricted-dma-pool region initialised by nobody); --kconfig DMA_RESTRICTED_POOL=y turns it on.
    [[nodiscard]] bool has_restricted_dma_pool() const { return restricted_dma_pool_config.value_or(false); }
    std::optional<bool> restricted_dma_pool_config;
    // PHYSMEM_END + 1: memory above it has no struct pages, and hotplug refuses it
    // (mhp_range_allowed(): "Hotplug memory ... exceeds maximum addressable range"). x86_64:
    // MAX_PHYSMEM_BITS 46 with 4-level paging (no la57, as QEMU's default CPU and most servers boot);
    // arm64: 48 (Debian's ARM64_PA_BITS with 4 KiB pages); riscv64: 56; arm: 40 (LPAE, Debian's
    // armmp-lpae); the others as x86_64.
    [[nodiscard]] std::uint64_t physmem_end() const {
        switch (arch) {
            case Arch::arm64: return std::uint64_t{1} << 48;
            case Arch::riscv64: return std::uint64_t{1} << 56;
            case Arch::arm: return std::uint64_t{1} << 40;
            default: return std::uint64_t{1} << 46;
        }
    }
    // COMMAND_LINE_SIZE: boot_command_line's size, terminator included (x86_64 and arm64: 2048); the
    // kernel keeps the first COMMAND_LINE_SIZE - 1 bytes of a longer line.
    [[nodiscard]] std::size_t command_line_size() const { return 2048; }
    [[nodiscard]] std::uint64_t smp_cache_bytes() const { return 64; }  // L1_CACHE_BYTES on arm64 and x86_64
    // cma_declare_contiguous_nid() names the node of the default area ("… on node -1"): with the
    // per-node CMA series (DMA_NUMA_CMA, 2023, ≈v6.7; not verified from a tag); Debian 6.12.118 prints it, 6.1 does not.
    [[nodiscard]] bool cma_logs_node() const { return has(Gate::cma_line_names_node) && !has(Gate::cma_line_without_node); }
    // x86 "SRAT: PXM p -> APIC a -> Node n": KERN_INFO in 6.1.192, pr_debug in 6.12.118 (both Debian
    // sources, arch/x86/mm/srat.c); the upstream commit between them is not pinned.
    [[nodiscard]] bool srat_cpu_lines_logged() const { return !has(Gate::srat_cpu_lines_debug); }
    // hugetlb_cma_reserve() aligns each area to the gigantic page (6.12) rather than a PMD huge page.
    [[nodiscard]] bool hugetlb_cma_gigantic_align() const { return has(Gate::hugetlb_cma_gigantic_align); }
    // mm/numa_memblks.c (v6.12, the numa_memblks series moving x86's NUMA block code to mm/):
    // numa_cleanup_meminfo() trims to memblock's DRAM bounds instead of [0, max_pfn).
    [[nodiscard]] bool numa_memblks() const { return has(Gate::numa_memblks); }
    // CONFIG_CMA_AREAS: the Kconfig default for NUMA kernels (Debian's are).
    [[nodiscard]] std::size_t cma_areas() const { return 19; }

    // Where the kernel image sits in physical memory when KASLR is off (nokaslr): Debian's 6.1 amd64
    // image, as its captures show it (CONFIG_PHYSICAL_START = 16 MiB; _end and the memblock
    // reservation up to __end_of_kernel_reserve). With KASLR the location is random and unknown.
    struct ImageLayout {
        std::uint64_t text = 0x1000000;
        std::uint64_t end = 0x4430000;           // __pa(_end): what e820_add_kernel_range() insists is RAM
        std::uint64_t reserve_end = 0x4411000;   // __end_of_kernel_reserve: what setup_arch() reserves in memblock
    };
    [[nodiscard]] ImageLayout image_without_kaslr() const { return {}; }
};

// "x86_64"/"amd64", "arm64"/"aarch64", ... → arch.
std::optional<Arch> parse_arch(std::string_view text);
std::string_view arch_name(Arch arch);

// What `--version` says of the profiles: the versions where a modelled behaviour changes, and which
// version the captures verify.
std::string kernel_profiles_summary();


}  // namespace bootmap
