#include "kernel/arm64_boot.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "grammars/crashkernel_param.hpp"
#include "grammars/memparse.hpp"
#include "kernel/sparse.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t kSz2M = 2ull << 20;
constexpr unsigned kPhysMaskShift = 48;         // CONFIG_ARM64_PA_BITS=48 (Debian)
constexpr std::uint64_t kStextOffset = 0x10000;  // _stext - _text in Debian's 6.1 image
constexpr std::uint64_t kImageSpan = 0x2010000;  // _end - _text in Debian's 6.1 image
constexpr std::uint64_t kDefaultCrashLowBytes = 128ull << 20;  // DEFAULT_CRASH_KERNEL_LOW_SIZE on arm64
constexpr std::uint64_t kDefaultCmaBytes = 64ull << 20;  // Debian arm64: CONFIG_CMA_SIZE_MBYTES=64 (its captures say 64 MiB)

std::uint64_t page_align_up(std::uint64_t v, std::uint64_t page) { return (v + page - 1) & ~(page - 1); }

// mem= on arm64 (early_mem()): a memparse'd size, page-aligned down; the last one wins.
std::optional<std::uint64_t> memory_limit(const KernelCommandLine* cmdline, std::uint64_t page) {
    std::optional<std::uint64_t> limit;
    if (!cmdline) return limit;
    for (const auto& p : cmdline->params)
        if (p.value && grammars::param_name_equals(p.name, "mem")) limit = grammars::memparse(*p.value).value & ~(page - 1);
    return limit;
}

// max_zone_phys(32): the end of ZONE_DMA, the limit of the default CMA area and crashkernel=.
std::uint64_t dma_phys_limit(const Memblock& mb) {
    std::uint64_t mask = 0xffffffffull;
    const std::uint64_t start = mb.start_of_dram();
    if (start > 0xffffffffull) mask = ~std::uint64_t{0};
    return std::min(mask, mb.end_of_dram() - 1) + 1;
}

// An estimate of what paging_init() and NUMA init allocate top-down before hugetlb_cma= and the
// default CMA area: linear-map page tables (one PTE page per 2 MiB mapped, page-granular as with
// Debian's rodata=full, plus the upper levels) and about 256 KiB of small allocations (the
// unflattened tree, NUMA data, sparse bookkeeping). The tables come one page at a time, so they
// fill the small free gaps at the top of RAM (between regions placed there) before going below
// them: taken here gap by gap, from the top, as many pages as each gap holds.
void reserve_early_tables(Memblock& mb, std::uint64_t page) {
    std::uint64_t mapped = 0;
    for (const auto& r : mb.memory().regions)
        if (!(r.flags & memblock_flag::nomap)) mapped += r.size;
    std::uint64_t pages = mapped / kSz2M + mapped / (1ull << 30) + 8;
    const std::uint64_t limit = mb.current_limit();
    while (pages > 0) {
        std::optional<std::pair<std::uint64_t, std::uint64_t>> top;  // the highest free range with a whole page below the limit
        for (const auto& f : mb.free_ranges(kNumaNoNode, memblock_flag::none)) {
            const std::uint64_t start = (f.start + page - 1) / page * page, end = std::min(f.end, limit) / page * page;
            if (end > start && (!top || end > top->second)) top = std::pair{start, end};
        }
        if (!top) break;
        const std::uint64_t n = std::min(pages, (top->second - top->first) / page);
        mb.reserve(top->second - n * page, n * page);
        pages -= n;
    }
    mb.alloc_try_nid(256ull << 10, 64, 0, kAllocAccessible, kNumaNoNode);
}

// The size of the blob the kernel finds: the tree's own, except that a tree the EFI stub already
// rewrote (a capture's /sys/firmware/fdt) gets the next command line in /chosen/bootargs before
// update_fdt() packs it again, each property value taking whole 32-bit cells.
std::uint64_t efi_stub_blob_size(const DeviceTree& tree, const KernelCommandLine* cmdline, bool uefi) {
    const std::uint64_t size = tree.total_size;
    const DtNode* chosen = tree.find("/chosen");
    if (!uefi || !cmdline || !chosen || !chosen->has("linux,uefi-system-table")) return size;
    const DtProperty* bootargs = chosen->property("bootargs");
    if (!bootargs) return size;
    const auto cells = [](std::uint64_t bytes) { return (bytes + 3) & ~std::uint64_t{3}; };
    if (size < cells(bootargs->value.size())) return size;
    return size - cells(bootargs->value.size()) + cells(cmdline->text.size() + 1);
}

// acpi_boot_table_init(): ACPI is used when the tree is the EFI stub's empty one (only /chosen and
// /hypervisor: dt_is_stub()) unless acpi=off, or always with acpi=on/force.
bool acpi_boot(const DeviceTree& tree, const KernelCommandLine* cmdline) {
    std::optional<std::string> acpi;
    if (cmdline)
        for (const auto& p : cmdline->params)
            if (p.value && grammars::param_name_equals(p.name, "acpi")) acpi = *p.value;
    if (acpi == "off") return false;
    if (acpi == "on" || acpi == "force") return true;
    const DtNode* root = tree.find("/");
    if (!root) return false;
    return std::all_of(root->children.begin(), root->children.end(), [](const DtNode& n) { return n.name == "chosen" || n.name == "hypervisor"; });
}

}  // namespace

std::pair<std::uint64_t, std::uint64_t> default_arm64_kernel_image(std::uint64_t dram_start) {
    const std::uint64_t text = (dram_start & ~(kSz2M - 1)) + kSz2M;
    return {text + kStextOffset, kImageSpan - kStextOffset};
}

namespace {

// efi_init() → reserve_regions() under UEFI, else early_init_dt_scan_memory(): memblock's memory.
bool add_boot_memory(Arm64Boot& boot, const BootPlacement& placement) {
    Memblock& mb = boot.memblock;
    // efi_init() → reserve_regions(): under UEFI memory is the EFI map's, whatever the tree says.
    const bool uefi = boot.fdt.chosen.uefi || !placement.firmware_memory.empty();
    if (uefi && !placement.firmware_memory.empty()) {
        boot.fdt.memory.clear();
        for (const auto& r : placement.firmware_memory) {
            mb.add(r.range.begin().value(), r.range.size().bytes());
            if (r.nomap) mb.mark(r.range.begin().value(), r.range.size().bytes(), memblock_flag::nomap);
        }
        // reserve_regions(): ACPI reclaim memory stays reserved (for kexec).
        for (const auto& [base, size] : placement.efi_acpi_reclaim) mb.reserve(base, size);
        boot.efi_acpi_reclaim = placement.efi_acpi_reclaim;
    } else if (uefi) {
        boot.assumptions.push_back("the tree was passed by UEFI firmware, whose memory map is not among the inputs: give --boot with a capture of "
                                   "this machine");
    }
    // The EFI stub deletes every /memreserve/ entry before the kernel sees the tree.
    if (uefi) boot.fdt.memreserve.clear();
    if (!uefi && !placement.ram.empty()) {
        // The bootloader's fixup: its banks are the tree's /memory.
        boot.fdt.memory.clear();
        for (const auto& r : placement.ram)
            boot.fdt.memory.push_back(FdtMemoryRange{r.begin().value(), r.size().bytes(), false, "--ram", SourceLocation{"--ram"}, false, std::nullopt});
    }
    for (const auto& range : boot.fdt.memory) {
        mb.add(range.base, range.size);
        if (range.hotpluggable && !mb.mark(range.base, range.size, memblock_flag::hotplug))
            boot.log.push_back(fmt::format("OF: fdt: failed to mark hotplug range 0x{:x} - 0x{:x}", range.base, range.base + range.size));
    }
    return uefi;
}

// setup_machine_fdt(): the blob itself, where the bootloader put it.
void reserve_fdt_blob(Arm64Boot& boot, const KernelCommandLine* cmdline, const BootPlacement& placement, bool uefi) {
    if (placement.fdt) {
        const std::uint64_t size = placement.fdt->second ? placement.fdt->second : efi_stub_blob_size(*boot.tree, cmdline, uefi);
        boot.fdt_blob = std::pair{placement.fdt->first, size};
        boot.memblock.reserve(placement.fdt->first, size);
    } else {
        boot.assumptions.push_back("where the bootloader put the DTB is unknown (give --fdt-at ADDR[,SIZE]); it is not reserved in this prediction");
    }

}

// arm64_memblock_init(): the physical address limit, mem=, the initrd and the kernel image.
void arm64_memblock_init(Arm64Boot& boot, const KernelCommandLine* cmdline, const BootPlacement& placement, std::uint64_t page) {
    Memblock& mb = boot.memblock;
    mb.remove(std::uint64_t{1} << kPhysMaskShift, kPhysAddrMax);
    boot.kernel_image = placement.kernel_image.value_or(default_arm64_kernel_image(mb.start_of_dram()));
    boot.kernel_image_assumed = !placement.kernel_image;
    if (!placement.kernel_image)
        boot.assumptions.push_back(fmt::format("kernel image [{:#x}-{:#x}] (Debian 6.1 arm64, loaded 2 MiB into RAM, nokaslr; give --kernel-image ADDR,SIZE otherwise)",
                                               boot.kernel_image.first, boot.kernel_image.first + boot.kernel_image.second - 1));
    if (const auto limit = memory_limit(cmdline, page)) {
        mb.mem_limit_remove_map(*limit);
        // The cap keeps no-map regions above the limit (memblock_cap_memory_range()): the end of
        // mapped RAM is the last mapped region's.
        Arm64Boot::MemLimit capped{*limit, 0, 0};
        for (const auto& r : mb.memory().regions)
            if (!(r.flags & memblock_flag::nomap)) capped.end = std::max(capped.end, r.end());
        for (const auto& r : mb.memory().regions)
            if ((r.flags & memblock_flag::nomap) && r.end() <= capped.end) capped.nomap_below += r.size;
        boot.mem_limit = capped;
        mb.add(boot.kernel_image.first - kStextOffset, boot.kernel_image.second + kStextOffset);
    }
    std::optional<std::pair<std::uint64_t, std::uint64_t>> initrd = placement.initrd;
    if (!initrd && boot.fdt.chosen.initrd) initrd = std::pair{boot.fdt.chosen.initrd->first, boot.fdt.chosen.initrd->second - boot.fdt.chosen.initrd->first};
    if (initrd && initrd->second) {
        const std::uint64_t base = initrd->first & ~(page - 1);
        const std::uint64_t size = page_align_up(initrd->first + initrd->second, page) - base;
        boot.initrd = std::pair{base, size};
        mb.add(base, size);
        mb.clear(base, size, memblock_flag::nomap);
        mb.reserve(base, size);
    }
    mb.reserve(boot.kernel_image.first, boot.kernel_image.second);

}

// Kernels between 6.1 and Debian's 6.12.13 changed the reserved-memory code in ways no capture
// here shows; say which model stands in.
void note_reserved_mem_model(Arm64Boot& boot, const KernelProfile& profile) {
    if (boot.fdt.reserved_memory.present && profile.has(Gate::rmem_info_line) && !profile.dynamic_reserved_mem_array())
        boot.assumptions.push_back(fmt::format("kernel {} keeps the fixed array of 64 reserved-memory regions; what 6.3 to 6.12.12 changed besides (tied "
                                               "regions in tree order, a line per region) is not modelled: "
                                               "6.1's code stands in",
                                               format_kernel_version(profile.version)));
    if (boot.fdt.reserved_memory.present && profile.dynamic_reserved_mem_array() && !profile.has(Gate::rmem_dynamic_array))
        boot.assumptions.push_back(fmt::format("kernel {} processes reserved memory the restructured way but with a fixed array of 64; modelled with "
                                               "6.12.103's array sized to the regions",
                                               format_kernel_version(profile.version)));
}

// early_init_fdt_scan_reserved_mem(), and what the boot configured from it.
void early_init_fdt_scan_reserved_mem(Arm64Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    ReservedMemOptions options;
    options.cma_on_cmdline = cma_from_cmdline(cmdline).has_value();
    boot.rmem = run_reserved_mem(boot.fdt, boot.memblock, profile, options);
    boot.log.insert(boot.log.end(), boot.rmem.log.begin(), boot.rmem.log.end());
    for (const auto& m : boot.fdt.memreserve) boot.configured.push_back({m.address, m.size, "/memreserve/", false});
    for (const auto& r : boot.rmem.regions) {
        if (!r.holds_memory()) continue;
        if (r.dynamic) {
            boot.configured.push_back({r.base, r.size, r.path, r.no_map, r.reusable});
            continue;
        }
        for (const auto& e : r.entries)
            if (e.reserved) boot.configured.push_back({e.base, e.size, r.path, r.no_map, r.reusable});
    }

}

// bootmem_init() → arm64_numa_init(): the nodes from the tree, else one faked node, with the lines
// the kernel prints on the way.
void arm64_numa_init(Arm64Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    Memblock& mb = boot.memblock;
    for (const auto& range : boot.fdt.memory)
        if (range.nid) mb.set_node(range.base, range.size, static_cast<int>(*range.nid));
    bool any_nid = false;
    for (const auto& range : boot.fdt.memory) any_nid |= range.nid.has_value();
    if (!any_nid && acpi_boot(*boot.tree, cmdline)) {
        // arch_acpi_numa_init(): no SRAT in these boots (an ACPI SRAT on arm64 is not modelled).
        boot.numa_log = {"NUMA: Failed to initialise from firmware",
                         fmt::format("NUMA: Faking a node at [mem {:#018x}-{:#018x}]", mb.start_of_dram(), mb.end_of_dram() - 1)};
        mb.set_node(mb.start_of_dram(), mb.end_of_dram() - mb.start_of_dram(), 0);
        boot.log.insert(boot.log.end(), boot.numa_log.begin(), boot.numa_log.end());
    } else if (!any_nid && profile.has(Gate::arm64_numa_silent_fake)) {
        // of_numa_parse_memory_nodes() fails without a memory node id (Debian 6.12.118: r starts as
        // -EINVAL; 6.1 leaves it unset), so numa_init() ends before its "No NUMA configuration found".
        boot.numa_log = {fmt::format("NUMA: Faking a node at [mem {:#018x}-{:#018x}]", mb.start_of_dram(), mb.end_of_dram() - 1)};
        mb.set_node(mb.start_of_dram(), mb.end_of_dram() - mb.start_of_dram(), 0);
        boot.log.insert(boot.log.end(), boot.numa_log.begin(), boot.numa_log.end());
    } else if (!any_nid && boot.fdt.cpu_numa_ids) {
        // of_numa_init() parsed nodes from the CPUs, but no memory has one: numa_register_nodes()
        // refuses the first region (still MAX_NUMNODES) and the kernel falls back to one fake node.
        const auto& first = mb.memory().regions.front();
        boot.numa_log = {fmt::format("NUMA: Warning: invalid memblk node {} [mem {:#018x}-{:#018x}]", max_numnodes(profile), first.base, first.end() - 1),
                         fmt::format("NUMA: Faking a node at [mem {:#018x}-{:#018x}]", mb.start_of_dram(), mb.end_of_dram() - 1)};
        mb.set_node(mb.start_of_dram(), mb.end_of_dram() - mb.start_of_dram(), 0);
        boot.log.insert(boot.log.end(), boot.numa_log.begin(), boot.numa_log.end());
    } else if (!any_nid) {
        // No numa-node-id: the kernel fakes one node over all memory (of_numa_init() says nothing otherwise).
        mb.set_node(mb.start_of_dram(), mb.end_of_dram() - mb.start_of_dram(), 0);
        boot.numa_log = {"NUMA: No NUMA configuration found",
                         fmt::format("NUMA: Faking a node at [mem {:#018x}-{:#018x}]", mb.start_of_dram(), mb.end_of_dram() - 1)};
        boot.log.insert(boot.log.end(), boot.numa_log.begin(), boot.numa_log.end());
    }
}

// dma_contiguous_reserve(): the default CMA area (cma= or the built-in size) unless the tree has one.
void dma_contiguous_reserve(Arm64Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    if (profile.has_cma()) {
        const bool default_from_dt = std::any_of(boot.rmem.regions.begin(), boot.rmem.regions.end(), [](const ReservedRegion& r) { return r.default_cma; });
        const auto cma = cma_from_cmdline(cmdline);
        const std::uint64_t size = cma ? cma->size : kDefaultCmaBytes;
        if (size != 0 && !default_from_dt) {
            const std::uint64_t limit = cma && cma->limit ? std::min(cma->limit, boot.dma_phys_limit) : boot.dma_phys_limit;
            boot.cma = declare_default_cma(boot.memblock, size, cma ? cma->base : 0, limit, cma ? cma->fixed : false, profile, boot.log);
            if (boot.cma->reserved) boot.configured.push_back({boot.cma->base, boot.cma->size, cma ? "cma=" : "default CMA area", false, true});
        }
    }

}

// What crashkernel= asks for on arm64: the main area's size, base and ceiling, and a low area.
struct CrashkernelRequest {
    std::uint64_t size = 0;
    std::uint64_t base = 0;
    std::uint64_t max = 0;
    std::uint64_t low_size = 0;
};

std::optional<CrashkernelRequest> crashkernel_request(const KernelCommandLine& cmdline, const Arm64Boot& boot, const KernelProfile& profile) {
    const auto ck = grammars::parse_crashkernel(cmdline.text, boot.memblock.phys_mem_size(), grammars::CrashkernelKind::plain);
    if (ck.found) {
        if (!ck.valid || ck.size == 0) return std::nullopt;
        return CrashkernelRequest{ck.size, ck.base, boot.dma_phys_limit, 0};
    }
    const auto high = grammars::parse_crashkernel(cmdline.text, 0, grammars::CrashkernelKind::high);
    // crashkernel=Y,low may be left out, but an invalid one drops the reservation.
    const auto low = grammars::parse_crashkernel(cmdline.text, 0, grammars::CrashkernelKind::low);
    if (!high.found || !high.valid || high.size == 0 || (low.found && !low.valid)) return std::nullopt;
    return CrashkernelRequest{high.size, high.base, std::uint64_t{1} << kPhysMaskShift,
                              low.found ? low.size : (profile.has(Gate::crashkernel_default_low) ? kDefaultCrashLowBytes : 0)};
}

// reserve_crashkernel(), deferred to after the zones are known because ZONE_DMA exists; with
// reserve_crashkernel_low() when the main area landed above the DMA limit.
void reserve_crashkernel(Arm64Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile, std::uint64_t page) {
    if (!cmdline) return;
    const auto request = crashkernel_request(*cmdline, boot, profile);
    if (!request) return;
    Memblock& mb = boot.memblock;
    const std::uint64_t size = page_align_up(request->size, page);
    const std::uint64_t base = request->base;
    const std::uint64_t max = base ? base + size : request->max;
    const std::uint64_t low_size = request->low_size;
    Arm64CrashkernelOutcome out;
    std::uint64_t found = mb.phys_alloc_range(size, kSz2M, base, max);
    const bool main_failed = found == 0;
    if (found != 0 && found >= boot.dma_phys_limit && low_size != 0) {
        const std::uint64_t low = mb.phys_alloc_range(low_size, kSz2M, 0, boot.dma_phys_limit);
        if (low == 0) {
            boot.log.push_back(fmt::format("cannot allocate crashkernel low memory (size:0x{:x}).", low_size));
            mb.phys_free(found, size);
            found = 0;
        } else {
            out.low = std::pair{low, low_size};
            boot.log.push_back(fmt::format("crashkernel low memory reserved: 0x{:08x} - 0x{:08x} ({} MB)", low, low + low_size, low_size >> 20));
            boot.configured.push_back({low, low_size, "crashkernel=,low", false});
        }
    }
    if (main_failed) {
        boot.log.push_back(fmt::format("cannot allocate crashkernel (size:0x{:x})", size));
    } else if (found != 0) {
        out.reserved = true;
        out.base = found;
        out.size = size;
        boot.log.push_back(fmt::format("crashkernel reserved: 0x{:016x} - 0x{:016x} ({} MB)", found, found + size, size >> 20));
        boot.configured.push_back({found, size, "crashkernel=", false});
    }
    boot.crashkernel = out;
}

}  // namespace

Arm64Boot replay_arm64_boot(const std::shared_ptr<const DeviceTree>& shared_tree, const KernelCommandLine* cmdline, const KernelProfile& profile, const BootPlacement& placement) {
    const std::uint64_t page = std::uint64_t{1} << profile.page_shift;
    Arm64Boot boot{shared_tree, scan_fdt(*shared_tree, page), Memblock(profile), {}, {}, {}, {}, {}, {}, {}, {}, 0, {}, {}, {}};
    boot.memblock.allow_resize();
    for (const auto& line : boot.fdt.memory_warnings) boot.log.push_back("OF: fdt: " + line);
    const bool uefi = add_boot_memory(boot, placement);
    if (boot.memblock.memory().regions.empty()) {
        boot.assumptions.push_back("the device tree describes no memory: the kernel would stop early");
        return boot;
    }
    reserve_fdt_blob(boot, cmdline, placement, uefi);
    arm64_memblock_init(boot, cmdline, placement, page);
    note_reserved_mem_model(boot, profile);
    early_init_fdt_scan_reserved_mem(boot, cmdline, profile);
    arm64_numa_init(boot, cmdline, profile);
    boot.dma_phys_limit = dma_phys_limit(boot.memblock);
    reserve_early_tables(boot.memblock, page);
    boot.hugetlb_cma = hugetlb_cma_reserve(boot.memblock, cmdline, profile, boot.log);
    if (boot.hugetlb_cma)
        for (const auto& a : boot.hugetlb_cma->areas)
            if (a.reserved) boot.configured.push_back({a.base, a.size, "hugetlb_cma=", false, true});
    sparse_init_memmap(boot.memblock, profile, boot.memblock.start_of_dram());
    dma_contiguous_reserve(boot, cmdline, profile);
    reserve_crashkernel(boot, cmdline, profile, page);
    // cma_init_reserved_areas() (core_initcall): an area across a zone boundary is given back.
    if (boot.hugetlb_cma) cma_activate_hugetlb_areas(*boot.hugetlb_cma, {boot.dma_phys_limit, 4ull << 30}, boot.log);
    boot.assumptions.push_back("the default CMA area and the crash kernel are placed after an estimate of the kernel's own early allocations");
    return boot;
}

}  // namespace bootmap
