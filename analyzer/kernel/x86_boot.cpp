#include "kernel/x86_boot.hpp"

#include <set>

#include <algorithm>

#include <fmt/format.h>

#include "grammars/boot_params.hpp"
#include "kernel/e820.hpp"
#include "kernel/numa_emulation.hpp"
#include "kernel/sparse.hpp"

namespace bootmap {
namespace {

// arch/x86/include/asm/crash.h and kernel/setup.c for x86_64 in 6.1.
constexpr std::uint64_t kCrashAlign = 16ull << 20;
constexpr std::uint64_t kCrashAddrLowMax = 4ull << 30;
constexpr std::uint64_t kCrashAddrHighMax = 64ull << 40;
constexpr std::uint64_t kDefaultSwiotlb = 64ull << 20;

bool has_param(const KernelCommandLine* cmdline, std::string_view name) {
    if (!cmdline) return false;
    return std::any_of(cmdline->params.begin(), cmdline->params.end(),
                       [&](const grammars::CmdlineParam& p) { return !p.value && grammars::param_name_equals(p.name, name); });
}

// movable_node (CONFIG_MEMORY_HOTPLUG, which Debian builds): an early parameter whose value, if any,
// is ignored.
bool movable_node(const KernelCommandLine* cmdline) {
    return cmdline && std::any_of(cmdline->params.begin(), cmdline->params.end(),
                                  [](const grammars::CmdlineParam& p) { return grammars::param_name_equals(p.name, "movable_node"); });
}

void setup_memblock(Memblock& mb, const E820Table& map, const KernelProfile& profile, const KernelCommandLine* cmdline, const X86EfiBoot* efi) {
    mb.allow_resize();
    // With movable_node, setup_arch() allocates bottom-up (near the kernel image) until the SRAT says
    // which memory is hotpluggable, and every later allocation passes over hotpluggable memory.
    mb.set_movable_node(movable_node(cmdline));
    mb.set_bottom_up(movable_node(cmdline));
    for (const auto& e : map.entries) {
        if (e.type == e820_type::soft_reserved) mb.reserve(e.addr.value(), e.size.bytes());
        else if (e.type == e820_type::ram || e.type == e820_type::reserved_kern) mb.add(e.addr.value(), e.size.bytes());
    }
    mb.trim_memory(1ull << profile.page_shift);
    // The first MiB is always reserved: BIOSes corrupt low memory, and the real-mode trampoline lives there.
    mb.reserve(0, 1ull << 20);
    // Page tables map all RAM before the allocations below: the limit is the end of RAM.
    std::uint64_t end_of_ram = 0;
    for (const auto& e : map.entries)
        if (e.type == e820_type::ram) end_of_ram = std::max(end_of_ram, e.addr.value() + e.size.bytes());
    mb.set_current_limit(end_of_ram / 4096 * 4096);
    // Where the kernel image sits is known only without KASLR; with it, the image is left out.
    if (has_param(cmdline, "nokaslr")) {
        const auto image = profile.image_without_kaslr();
        mb.reserve(image.text, image.reserve_end - image.text);
    }
    if (efi) {
        // memblock_x86_reserve_range_setup_data(): the blobs stay where the stub put them.
        for (const auto& r : efi->setup_data) mb.reserve(r.begin().value(), r.size().bytes());
        efi_reserve_boot_services(mb, *efi);
    }
    // init_mem_mapping() allocates page tables top-down from the end of RAM before anything below
    // runs: their size depends on the CPU and the map, but the top page is always taken. Modelling
    // that page is what makes 16 MiB-aligned placements land where the kernel puts them when RAM
    // ends on such a boundary.
    // Bottom-up, they come from just above the image instead, which brk usually covers: nothing modelled.
    if (!mb.memory().regions.empty() && !mb.bottom_up()) {
        const std::uint64_t top = mb.memory().regions.back().end();
        mb.reserve(top - 4096, 4096);
    }
}

// acpi_numa_memory_affinity_init() marks the SRAT's hotpluggable memory; numa_register_memblks() then
// clears the mark on every node that already holds a reservation (numa_clear_kernel_node_hotplug():
// the kernel image, the first MiB, early page tables make the whole node unremovable).
void mark_hotplug_memory(Memblock& mb, const SratTable& srat, const std::vector<NumaBlock>& blocks) {
    for (const auto& m : srat.memory)
        if (m.enabled() && m.hotplug() && m.length > 0 && m.base + m.length > m.base) mb.mark(m.base, m.length, memblock_flag::hotplug);
    std::set<int> holding_reservations;
    for (const auto& b : blocks)
        for (const auto& r : mb.reserved().regions)
            if (r.base < b.end && b.start < r.end()) holding_reservations.insert(b.nid);
    for (const auto& b : blocks)
        if (holding_reservations.contains(b.nid)) mb.clear(b.start, b.end - b.start, memblock_flag::hotplug);
}

// dma_contiguous_reserve() with cma=: x86 has no DMA limit for the default area.
void reserve_cma(Memblock& mb, const KernelCommandLine& cmdline, const KernelProfile& profile, X86Boot& boot) {
    const auto cma = cma_from_cmdline(&cmdline);
    if (!cma || cma->size == 0) return;
    const std::uint64_t limit = cma->limit ? std::min(cma->limit, mb.current_limit()) : mb.current_limit();
    boot.cma = declare_default_cma(mb, cma->size, cma->base, limit, cma->fixed, profile, boot.log);
}

bool reserve_crash_low(Memblock& mb, const std::string& cmdline, X86Boot& boot, CrashkernelOutcome& out) {
    const std::uint64_t low_limit = std::min(mb.phys_mem_size(), kCrashAddrLowMax);
    auto low = grammars::parse_crashkernel(cmdline, low_limit, grammars::CrashkernelKind::low);
    std::uint64_t low_size = 0;
    if (!low.found || !low.valid) {
        low_size = std::max(kDefaultSwiotlb + (8ull << 20), 256ull << 20);
    } else {
        if (low.size == 0) return true;  // crashkernel=0,low
        low_size = low.size;
    }
    const std::uint64_t low_base = mb.phys_alloc_range(low_size, kCrashAlign, 0, kCrashAddrLowMax);
    if (!low_base) {
        boot.log.push_back(fmt::format("Cannot reserve {}MB crashkernel low memory, please try smaller size.", low_size >> 20));
        return false;
    }
    boot.log.push_back(fmt::format("Reserving {}MB of low memory at {}MB for crashkernel (low RAM limit: {}MB)", low_size >> 20, low_base >> 20,
                                   low_limit >> 20));
    out.low = std::make_pair(low_base, low_size);
    return true;
}

void reserve_crashkernel(Memblock& mb, const std::string& cmdline, X86Boot& boot) {
    const std::uint64_t total = mb.phys_mem_size();
    CrashkernelOutcome out;
    out.setting = grammars::parse_crashkernel(cmdline, total, grammars::CrashkernelKind::plain);
    if (out.setting.found && !out.setting.warning.empty()) boot.log.push_back(out.setting.warning);
    if (!out.setting.found || !out.setting.valid || out.setting.size == 0) {
        const bool plain_seen = out.setting.found;
        auto high = grammars::parse_crashkernel(cmdline, total, grammars::CrashkernelKind::high);
        if (!high.found || !high.valid || high.size == 0) {
            if (high.found && !high.warning.empty()) boot.log.push_back(high.warning);
            if (plain_seen || high.found) boot.crashkernel = out.setting.found ? out : CrashkernelOutcome{high, true};
            return;
        }
        out.setting = high;
        out.high = true;
    }
    out.size = out.setting.size;
    std::uint64_t base = 0;
    if (!out.setting.base) {
        if (!out.high) base = mb.phys_alloc_range(out.size, kCrashAlign, kCrashAlign, kCrashAddrLowMax);
        if (!base) base = mb.phys_alloc_range(out.size, kCrashAlign, kCrashAlign, kCrashAddrHighMax);
        if (!base) {
            boot.log.push_back("crashkernel reservation failed - No suitable area found.");
            boot.crashkernel = out;
            return;
        }
    } else {
        const std::uint64_t start = mb.phys_alloc_range(out.size, 1ull << 20, out.setting.base, out.setting.base + out.size);
        if (start != out.setting.base) {
            if (start) mb.phys_free(start, out.size);
            boot.log.push_back("crashkernel reservation failed - memory is in use.");
            boot.crashkernel = out;
            return;
        }
        base = start;
    }
    if (base >= (1ull << 32) && !reserve_crash_low(mb, cmdline, boot, out)) {
        mb.phys_free(base, out.size);
        boot.crashkernel = out;
        return;
    }
    out.base = base;
    out.reserved = true;
    boot.log.push_back(fmt::format("Reserving {}MB of memory at {}MB for crashkernel (System RAM: {}MB)", out.size >> 20, base >> 20, total >> 20));
    boot.crashkernel = out;
}

// The value of the last numa=fake= (numa_setup() keeps the last one).
std::optional<std::string> numa_fake(const KernelCommandLine* cmdline) {
    std::optional<std::string> spec;
    if (cmdline)
        for (const auto& p : cmdline->params)
            if (grammars::param_name_equals(p.name, "numa") && p.value && p.value->rfind("fake=", 0) == 0) spec = p.value->substr(5);
    return spec;
}

// initmem_init(): node ids from the SRAT, or the single fake node of dummy_numa_init(); then
// numa=fake= cuts them into emulated nodes. numa=off skips the SRAT and says so in the fake
// node's first line.
void init_numa(Memblock& mb, const E820Table& map, const SratTable* srat, const KernelCommandLine* cmdline, const KernelProfile& profile, X86Boot& boot) {
    const std::uint64_t ram_end = e820_end_of_ram(map);
    bool numa_off = false;
    if (cmdline)
        for (const auto& p : cmdline->params) numa_off |= grammars::param_name_equals(p.name, "numa") && p.value && *p.value == "off";
    std::vector<NumaBlock> physical{{0, 0, ram_end}};
    std::set<int> parsed{0};
    bool from_srat = false;
    if (srat && !numa_off) {
        auto numa = numa_from_srat(*srat, mb.memory(), ram_end, profile);
        boot.log.insert(boot.log.end(), numa.log.begin(), numa.log.end());
        boot.numa_log = numa.log;
        from_srat = !numa.failed;
        if (from_srat) {
            physical = numa.blocks;
            parsed.clear();
            for (const auto& [pxm, node] : numa.pxm_to_node) parsed.insert(node);
        }
        boot.numa = std::move(numa);
    }
    if (!from_srat) {
        const std::string fake[] = {numa_off ? "NUMA turned off" : "No NUMA configuration found",
                                    fmt::format("Faking a node at [mem {:#018x}-{:#018x}]", 0, ram_end - 1)};
        for (const auto& line : fake) {
            boot.log.push_back(line);
            boot.numa_log.push_back(line);
        }
    }
    // numa=off leaves no NUMA to emulate: dummy_numa_init() runs alone.
    if (const auto spec = numa_fake(cmdline); spec && !numa_off) {
        auto emulated = emulate_numa(*spec, physical, parsed, mb.memory(), ram_end, numa_meminfo_limits(mb.memory(), ram_end, profile));
        boot.log.insert(boot.log.end(), emulated.log.begin(), emulated.log.end());
        boot.numa_log.insert(boot.numa_log.end(), emulated.log.begin(), emulated.log.end());
        if (emulated.applied) {
            physical = std::move(emulated.blocks);
            if (!boot.numa) boot.numa = NumaSetup{};
            boot.numa->blocks = physical;
            boot.numa->failed = false;
        }
    }
    for (const auto& b : physical) mb.set_node(b.start, b.end - b.start, b.nid);
    if (from_srat) mark_hotplug_memory(mb, *srat, physical);
    // numa_init() turns allocation back to top-down once the SRAT is parsed.
    mb.set_bottom_up(false);
}

}  // namespace

std::optional<grammars::DmemParam> effective_dmem(const KernelCommandLine& cmdline, const KernelProfile& profile) {
    std::optional<grammars::DmemParam> last;
    const std::uint64_t section = profile.section_size();
    for (const auto& p : cmdline.params) {
        if (!p.value || !grammars::param_name_equals(p.name, "dmem")) continue;
        auto d = grammars::parse_dmem(*p.value, section);
        if (d.verdict.accepted) last = d;  // a later invalid one leaves the earlier in place
    }
    return last;
}

namespace {

void reserve_dmem_step(Memblock& mb, const KernelCommandLine& cmdline, const KernelProfile& profile, X86Boot& boot) {
    const auto param = effective_dmem(cmdline, profile);
    auto outcome = reserve_dmem(mb, param.value_or(grammars::DmemParam{}), profile);
    boot.log.insert(boot.log.end(), outcome.log.begin(), outcome.log.end());
    boot.dmem = std::move(outcome);
}

// After setup_arch(): sparse_init() takes each node's memmap top-down (paging_init()), then the
// command line's hugepages= takes gigantic pages. Both on a copy: the memblock kept is setup_arch()'s.
void alloc_boot_huge_pages(X86Boot& boot, const KernelCommandLine& cmdline, const KernelProfile& profile) {
    const auto requests = hugetlb_requests(cmdline);
    if (requests.empty()) return;
    Memblock after = boot.memblock;
    constexpr std::uint64_t kMaxDmaAddress = 16ull << 20;  // __pa(MAX_DMA_ADDRESS)
    sparse_init_memmap(after, profile, kMaxDmaAddress);
    boot.gigantic_pages = alloc_gigantic_boot_pages(after, requests, profile, boot.log);
}

}  // namespace

X86Boot replay_x86_boot(const Machine& machine) {
    const auto efi = machine.boot_log ? x86_efi_boot(*machine.boot_log) : std::nullopt;
    return replay_x86_boot(machine.firmware_e820 ? *machine.firmware_e820 : E820Table{}, machine.cmdline ? &*machine.cmdline : nullptr, machine.profile,
                           machine.srat ? &*machine.srat : nullptr, efi ? &*efi : nullptr);
}

X86Boot replay_x86_boot(const E820Table& firmware, const KernelCommandLine* cmdline, const KernelProfile& profile, const SratTable* srat,
                        const X86EfiBoot* efi) {
    X86Boot boot{replay_x86_e820(firmware, cmdline ? cmdline->params : std::vector<grammars::CmdlineParam>{}, profile, efi), Memblock(profile), {}, {}};
    if (boot.e820.invalid_user_map) {
        boot.log.push_back("Invalid user supplied memory map");
        return boot;
    }
    if (boot.e820.kernel_range_restored) boot.log.push_back(".text .data .bss are not marked as E820_TYPE_RAM!");
    setup_memblock(boot.memblock, boot.e820.final_map, profile, cmdline, efi);
    init_numa(boot.memblock, boot.e820.final_map, srat, cmdline, profile, boot);
    if (cmdline && profile.has_cma()) reserve_cma(boot.memblock, *cmdline, profile, boot);
    if (cmdline && profile.has_dmem()) reserve_dmem_step(boot.memblock, *cmdline, profile, boot);
    if (cmdline) reserve_crashkernel(boot.memblock, cmdline->text, boot);
    if (cmdline) alloc_boot_huge_pages(boot, *cmdline, profile);
    // Under UEFI the firmware's boot-services regions stay reserved until after these placements;
    // only efi=debug's map says where they are.
    const bool placed = (boot.crashkernel && boot.crashkernel->setting.found) || (boot.cma && boot.cma->reserved) || boot.dmem.has_value();
    // With KASLR the image sits somewhere in RAM that no input says: a placement may meet it.
    if (placed && !(cmdline && has_param(cmdline, "nokaslr")))
        boot.assumptions.push_back("KASLR is on (no nokaslr): where the kernel image lands is random, and the crash kernel, CMA and dmem "
                                   "placements are predicted as if it were out of their way");
    if (efi && !efi->memmap_known && placed)
        boot.assumptions.push_back(
            "the EFI boot-services regions are not in this log (boot once with efi=debug to record them): the crash kernel, CMA and dmem "
            "placements assume they are free, and the kernel may put them lower");
    return boot;
}

}  // namespace bootmap
