#include "analysis/ram_account.hpp"

#include <algorithm>

#include "grammars/kernel_cmdline.hpp"
#include "grammars/memparse.hpp"
#include "kernel/e820.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t kDefaultSwiotlb = 64ull << 20;  // IO_TLB_DEFAULT_SIZE
constexpr std::uint64_t kSwiotlbSlab = 2048;            // IO_TLB_SIZE

// swiotlb=N[,force|noforce]: N slabs of 2 KiB (rounded to a whole segment of 128); the default is 64 MiB.
std::uint64_t swiotlb_bytes(const KernelCommandLine* cmdline) {
    std::uint64_t bytes = kDefaultSwiotlb;
    if (cmdline)
        for (const auto& p : cmdline->params)
            if (p.value && grammars::param_name_equals(p.name, "swiotlb") && !p.value->empty() && std::isdigit(static_cast<unsigned char>(p.value->front()))) {
                const std::uint64_t slabs = std::strtoull(p.value->c_str(), nullptr, 0);
                if (slabs) bytes = (slabs + 127) / 128 * 128 * kSwiotlbSlab;
            }
    return bytes;
}

bool efi_debug(const KernelCommandLine* cmdline) {
    if (!cmdline) return false;
    for (const auto& p : cmdline->params)
        if (p.value && grammars::param_name_equals(p.name, "efi") && p.value->find("debug") != std::string::npos) return true;
    return false;
}

KernelImageSizes image_sizes(const Machine& machine) {
    if (machine.boot_log && machine.boot_log->kernel_image_sizes) {
        const auto& k = *machine.boot_log->kernel_image_sizes;
        return {k[0], k[1], k[2], k[3], k[4]};
    }
    return debian_kernel_image_sizes(machine.profile);
}

// Bytes of [base, base + size) that memblock.memory holds.
std::uint64_t in_memory(const MemblockType& memory, std::uint64_t base, std::uint64_t size) {
    std::uint64_t bytes = 0;
    for (const auto& r : memory.regions) {
        const std::uint64_t b = std::max(base, r.base), e = std::min(base + size, r.end());
        if (b < e) bytes += e - b;
    }
    return bytes;
}

std::map<int, std::uint64_t> present_per_node(const MemblockType& memory, std::uint64_t limit) {
    std::map<int, std::uint64_t> out;
    for (const auto& r : memory.regions)
        if (r.base < limit) out[r.nid] += std::min(r.end(), limit) - r.base;
    return out;
}

}  // namespace

RamAccount x86_ram_account(const Machine& machine, const X86Boot& boot, const KernelCommandLine* cmdline, std::string label) {
    RamAccount a;
    a.label = std::move(label);
    a.cmdline = cmdline ? cmdline->text : std::string();
    if (machine.firmware_e820)
        for (const auto& e : machine.firmware_e820->entries)
            if (e.type == e820_type::ram) a.firmware_ram += e.size.bytes();
    for (const auto& e : boot.e820.final_map.entries)
        if (e.type == e820_type::ram) a.ram_after_cmdline += e.size.bytes();
    const std::uint64_t max_pfn = e820_end_of_ram(boot.e820.final_map) >> 12;
    const MemblockType& memory = boot.memblock.memory();
    a.present_per_node = present_per_node(memory, max_pfn << 12);
    MemTotalInputs in;
    in.memory = &memory;
    in.max_pfn = max_pfn;
    in.image = image_sizes(machine);
    // setup_arch() keeps the first MiB reserved (BIOS data, the real-mode trampoline).
    in.carve_outs.push_back({"the first MiB", in_memory(memory, 0, 1 << 20) / 4096 * 4096});
    if (boot.crashkernel && boot.crashkernel->reserved) {
        std::uint64_t crash = boot.crashkernel->size;
        if (boot.crashkernel->low) crash += boot.crashkernel->low->second;
        in.carve_outs.push_back({"crash kernel", crash});
    }
    // pci_swiotlb_detect(): bounce buffers when RAM reaches above 4 GiB.
    if (max_pfn > (4ull << 30) >> 12) in.carve_outs.push_back({"swiotlb bounce buffers", swiotlb_bytes(cmdline)});
    // efi=debug keeps the boot-services regions for /sys/kernel/debug/efi (efi_unmap_boot_services()
    // returns early): they are never freed.
    if (machine.boot_log && efi_debug(cmdline)) {
        std::uint64_t kept = 0;
        for (const auto& d : machine.boot_log->efi_memmap)
            if (d.boot_services()) kept += in_memory(memory, d.range.begin().value(), d.range.size().bytes());
        in.carve_outs.push_back({"EFI boot services (kept by efi=debug)", kept});
    }
    if (boot.dmem) {
        std::uint64_t carved = 0;
        for (const auto& [node, bytes] : boot.dmem->carved) carved += bytes;
        in.carve_outs.push_back({"dmem=", carved});
    }
    a.estimate = estimate_mem_total(in, machine.profile);
    return a;
}

RamAccount arm64_ram_account(const Machine& machine, const Arm64Boot& boot, const KernelCommandLine* cmdline, std::string label) {
    RamAccount a;
    a.label = std::move(label);
    a.cmdline = cmdline ? cmdline->text : std::string();
    for (const auto& r : boot.fdt.memory) a.firmware_ram += r.size;
    const MemblockType& memory = boot.memblock.memory();
    std::uint64_t end = 0;
    for (const auto& r : memory.regions) {
        a.ram_after_cmdline += r.size;
        end = std::max(end, r.end());
    }
    a.present_per_node = present_per_node(memory, end);
    MemTotalInputs in;
    in.memory = &memory;
    in.max_pfn = end >> machine.profile.page_shift;
    in.image = image_sizes(machine);
    // What the configuration reserves for good: /memreserve/, static and placed reserved-memory regions
    // and the crash kernel; not CMA areas and reusable pools (the page allocator manages them), not
    // no-map regions (counted below from memblock's flags). Overlapping ones count once.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
    for (const auto& c : boot.configured)
        if (!c.no_map && !c.cma && c.size != 0) spans.emplace_back(c.base, c.base + c.size);
    std::sort(spans.begin(), spans.end());
    std::uint64_t reserved = 0, reach = 0;
    for (auto [b, e] : spans) {
        b = std::max(b, reach);
        if (b < e) reserved += in_memory(memory, b, e - b);
        reach = std::max(reach, e);
    }
    std::uint64_t nomap = 0;
    for (const auto& r : memory.regions)
        if (r.flags & memblock_flag::nomap) nomap += r.size;
    in.carve_outs.push_back({"reserved memory and crash kernel", reserved});
    in.carve_outs.push_back({"no-map regions", nomap});
    if (boot.dma_phys_limit && end > boot.dma_phys_limit) in.carve_outs.push_back({"swiotlb bounce buffers", swiotlb_bytes(cmdline)});
    a.estimate = estimate_mem_total(in, machine.profile);
    return a;
}

}  // namespace bootmap
