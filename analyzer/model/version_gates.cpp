#include "model/version_gates.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace bootmap {
namespace {

constexpr KernelVersion v(unsigned major, unsigned minor) { return KernelVersion{major, minor, std::nullopt}; }

const std::array<GateRecord, 25> kGates{{
    {Gate::zone_device, "zone-device", v(4, 3), std::nullopt, "x86 zone block has a Device line (ZONE_DEVICE exists; Debian enables it on amd64)",
     "033fbae988fc (\"mm: ZONE_DEVICE for 'device memory'\", v4.3); fixtures/kernel x86 captures", true},
    {Gate::hotplug_ram_nests, "hotplug-ram-nests", v(5, 1), std::nullopt,
     "hot-added System RAM may nest below a non-busy owner; the kmem driver exists",
     "\"mm/memory-hotplug: Allow memory resources to be children\", device-dax pull for 5.1 (10 Mar 2019)", true},
    {Gate::kmem_driver_managed_name, "kmem-driver-managed-name", v(5, 8), std::nullopt,
     "RAM that dax kmem hot-adds is named 'System RAM (kmem)', not 'System RAM'",
     "7b7b27214bba (add_memory_driver_managed()); first release not verified from a tag; fixtures/kernel x86-kmem-* captures", true},
    {Gate::arm64_sections_128m, "arm64-sections-128m", v(5, 12), std::nullopt,
     "arm64 memory sections (and memory blocks) 1 GiB -> 128 MiB with 4K pages", "f0b13ee23241", true},
    {Gate::efi_mmio_leaves_e820, "efi-mmio-leaves-e820", v(6, 2), std::nullopt,
     "x86 UEFI: EFI MMIO regions of 256 KiB or more leave e820 (no ffc00000-ffffffff)",
     "07eab0901ede; fixtures/kernel-uefi 6.12.118 captures", true},
    {Gate::rmem_info_line, "rmem-info-line", v(6, 3), std::nullopt,
     "reserved memory: a line per region, tied regions in tree order (third sort key), allocation direction next to "
     "static regions; before 6.12.13 6.1's code stands in and the prediction says so",
     "drivers/of/of_reserved_mem.c of 6.12.118 against 6.1.192; first release not verified from a tag", false},
    {Gate::memreserve_last, "memreserve-last", v(6, 4), std::nullopt,
     "/memreserve/ entries reserved after the reserved-memory scan, not before",
     "b41328187629 (\"of: fdt: Scan /memreserve/ last\"), applied 27 Apr 2023 for the 6.4 merge window (AUTOSEL for 6.2/6.3 "
     "stable; not in 6.1.192); fixtures/kernel-6.12/arm64-rmem-memreserve against fixtures/kernel/arm64-rmem-memreserve", true},
    {Gate::memblock_debugfs_node_flags, "memblock-debugfs-node-flags", v(6, 5), std::nullopt,
     "/sys/kernel/debug/memblock lines end with the node id and flags", "493f349e38d0; fixtures/kernel-6.12", true},
    {Gate::cma_line_names_node, "cma-line-names-node", v(6, 7), std::nullopt, "cma: the default area's line names its node (\"on node -1\")",
     "per-node CMA series (DMA_NUMA_CMA, 2023), first release not verified from a tag; fixtures/kernel-6.12", true},
    {Gate::crashkernel_default_low, "crashkernel-default-low", v(6, 7), std::nullopt,
     "arm64 crashkernel=X,high without ,low also reserves a 128 MiB low area (the generic crashkernel reservation)",
     "\"arm64: kdump: use generic interface to simplify crashkernel reservation\" (2023; first release not verified from a tag); "
     "fixtures/kernel-6.12/arm64-4G-crash-high against fixtures/kernel/arm64-4G-crash-high", true},
    {Gate::efi_fake_mem_removed, "efi-fake-mem-removed", v(6, 11), std::nullopt, "efi_fake_mem= no longer exists", "37aee82c213d", true},
    {Gate::sort_double_pop, "sort-double-pop", v(6, 9), std::nullopt,
     "lib/sort.c pops two elements per round and prefers the right child on ties: equal reserved-memory keys (dynamic "
     "regions of the static-array code, tied overlap pairs) come out in another order",
     "0e02ca29a563 and \"lib/sort: optimize heapsort for equal elements in sift-down path\" (posted Jan 2024, mm-nonmm; first "
     "release not verified from a tag); lib/sort.c of 6.1.192 against 6.12.118; fixtures/kernel-7.2/arm64-rmem-ties", true},
    {Gate::numa_memblks, "numa-memblks", v(6, 12), std::nullopt,
     "x86 numa_cleanup_meminfo() trims nodes to memblock's DRAM bounds: node 0 starts at 0x1000, not 0; RAM without a node is "
     "counted by memblock_validate_numa_coverage() ('NUMA: no nodes coverage for N MB of M MB RAM', not 'nodes only cover')",
     "mm/numa_memblks.c (numa_memblks series), arch/x86/mm/numa.c of 6.12.118 against 6.1.192 (the coverage change's first release not "
     "pinned); fixtures/kernel-6.12/x86-numa-2node, fixtures/kernel-6.12/x86-numa-srat-uncovered",
     true},
    {Gate::hugetlb_cma_gigantic_align, "hugetlb-cma-gigantic-align", v(6, 12), std::nullopt,
     "hugetlb_cma= areas are aligned to the gigantic page (1 GiB with 4 KiB pages), not to a 2 MiB huge page: on arm64 with RAM "
     "ending just above 4 GiB the area no longer spans the DMA zone's end",
     "mm/hugetlb.c hugetlb_cma_reserve() of 6.12.118 against 6.1.192 (the change's first release not pinned); "
     "fixtures/kernel-6.12/arm64-4G-hugetlb-cma-1G against fixtures/kernel/arm64-4G-hugetlb-cma-1G",
     true},
    {Gate::srat_cpu_lines_debug, "srat-cpu-lines-debug", v(6, 12), std::nullopt,
     "x86 'SRAT: PXM p -> APIC a -> Node n' is pr_debug, not in the log",
     "arch/x86/mm/srat.c: KERN_INFO in 6.1.192, pr_debug in 6.12.118 (commit between not pinned); fixtures/kernel-6.12", true},
    {Gate::arm64_zone_device, "arm64-zone-device", v(6, 12), std::nullopt, "arm64 zone block has a Device line (Debian's CONFIG_ZONE_DEVICE=y)",
     "Debian 6.12 arm64 config; fixtures/kernel-6.12 arm64 captures", true},
    {Gate::arm64_numa_silent_fake, "arm64-numa-silent-fake", v(6, 12), std::nullopt,
     "arm64 NUMA on a tree without memory node ids fakes its node without 'No NUMA configuration found'",
     "of_numa_parse_memory_nodes() starts from -EINVAL in 6.12.118; fixtures/kernel-6.12 arm64 captures", true},
    {Gate::rmem_restructured, "rmem-restructured", v(6, 13), KernelVersion{6, 12, 13},
     "reserved memory restructured: dynamic regions placed early in tree order, statics stored late, overlap check "
     "last, 'Reserved memory: No reserved-memory node in the DT'",
     "8a6e02d0c00e (v6.13); Debian 6.12.13 changelog; fixtures/kernel-6.12 arm64-rmem-*", true},
    {Gate::rmem_dynamic_array, "rmem-dynamic-array", v(6, 13), KernelVersion{6, 12, 103},
     "reserved-memory array sized to the regions, no fixed 64; more than 64 size-only regions are skipped, not allocated",
     "00c9a452a235 (v6.13) and the fix after it; Debian 6.12.103 changelog; fixtures/kernel-6.12 arm64-rmem-70, arm64-rmem-dyn66", true},
    {Gate::elfcorehdr_first, "elfcorehdr-first", v(6, 19), KernelVersion{6, 12, 64},
     "the kdump elfcorehdr (/chosen/linux,elfcorehdr) is reserved before the reserved-memory scan, not after",
     "\"arm64: kdump: Fix elfcorehdr overlap caused by reserved memory processing\", Debian changelog ChangeLog-6.12.64; "
     "drivers/of/fdt.c of 6.12.118; mainline release not verified from a tag", true},
    // Seen on Debian's 7.2.13 (sid) under the oracle; each came in some release after 6.12 that is
    // not pinned, so 7.2 is the first version with evidence.
    {Gate::rmem_ties_unordered, "rmem-ties-unordered", v(7, 2), std::nullopt,
     "__rmem_cmp() lost its node key again: tied overlap pairs come in heap-sort order, not tree order",
     "drivers/of/of_reserved_mem.c of 7.2.13; fixtures/kernel-7.2/arm64-rmem-ties; first release after 6.12 not pinned", true},
    {Gate::cma_line_without_node, "cma-line-without-node", v(7, 2), std::nullopt, "cma: the default area's line no longer names its node",
     "mm/cma.c of 7.2.13; fixtures/kernel-7.2/arm64-1G; first release after 6.12 not pinned", true},
    {Gate::rmem_first_range_only, "rmem-first-range-only", v(7, 2), std::nullopt,
     "a reserved-memory node with several reg ranges reserves only the first (\"has N <base size> entries, only the first is "
     "used\"); a reg shorter than one range is ignored without a word",
     "drivers/of/of_reserved_mem.c of 7.2.13; fixtures/kernel-7.2/arm64-rmem-probe, arm64-rmem-memreserve", false},
    {Gate::cma_nomap_reusable, "cma-nomap-reusable", v(7, 2), std::nullopt,
     "a no-map reusable shared-dma-pool is no longer a 'compatible matching fail'",
     "kernel/dma/contiguous.c of 7.2.13; fixtures/kernel-7.2/arm64-rmem-probe", false},
    {Gate::memblock_rsv_kern, "memblock-rsv-kern", v(7, 2), std::nullopt,
     "/sys/kernel/debug/memblock/reserved marks the kernel's own allocations RSV_KERN",
     "mm/memblock.c of 7.2.13; fixtures/kernel-7.2", false},
}};

}  // namespace

std::span<const GateRecord> version_gates() { return kGates; }

const GateRecord& gate_record(Gate gate) {
    const auto it = std::find_if(kGates.begin(), kGates.end(), [gate](const GateRecord& r) { return r.gate == gate; });
    return it != kGates.end() ? *it : kGates.front();
}

bool gate_open(Gate gate, const KernelVersion& version) {
    const GateRecord& r = gate_record(gate);
    if (version >= r.mainline) return true;
    return r.stable && version.major == r.stable->major && version.minor == r.stable->minor && version.at_least(r.stable->major, r.stable->minor, *r.stable->patch);
}

namespace {
std::string since(const GateRecord& r) {
    std::string out = format_kernel_version(r.mainline);
    if (r.stable) out += ", " + format_kernel_version(*r.stable);
    return out;
}
}  // namespace

std::string version_gates_text(const std::optional<KernelVersion>& version) {
    std::string out;
    for (const auto& r : kGates) {
        const std::string mark = version ? (gate_open(r.gate, *version) ? "yes " : "no  ") : "";
        out += fmt::format("  {}{:<12} {}{}\n", mark, since(r), r.behaviour, r.modelled ? "" : " [era not replayed]");
        out += fmt::format("  {}{:<12}   {} | {}\n", version ? "    " : "", "", r.id, r.evidence);
    }
    return out;
}

std::string version_gates_markdown() {
    std::string out = "| since (mainline, stable backport) | gate | behaviour | evidence |\n|---|---|---|---|\n";
    for (const auto& r : kGates)
        out += fmt::format("| {} | `{}` | {}{} | {} |\n", since(r), r.id, r.behaviour, r.modelled ? "" : " (era not replayed)", r.evidence);
    return out;
}

}  // namespace bootmap
