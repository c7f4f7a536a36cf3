#include "kernel/mem_init.hpp"

#include <algorithm>

namespace bootmap {

KernelImageSizes debian_kernel_image_sizes(const KernelProfile& profile) {
    constexpr std::uint64_t K = 1024;
    const bool newer = profile.version >= KernelVersion{6, 12};
    if (profile.arch == Arch::x86_64)
        return newer ? KernelImageSizes{16384 * K, 2499 * K, 11720 * K, 4260 * K, 4904 * K}
                     : KernelImageSizes{14343 * K, 2338 * K, 9132 * K, 2824 * K, 17344 * K};
    return newer ? KernelImageSizes{15680 * K, 3820 * K, 13952 * K, 9664 * K, 938 * K} : KernelImageSizes{13248 * K, 2806 * K, 9524 * K, 6464 * K, 627 * K};
}

MemTotalEstimate estimate_mem_total(const MemTotalInputs& in, const KernelProfile& profile) {
    MemTotalEstimate e;
    const std::uint64_t page = std::uint64_t{1} << profile.page_shift;
    const std::uint64_t section = profile.section_size();
    const std::uint64_t limit = in.max_pfn * page;
    // Sections counted arithmetically (memblock's regions are sorted and disjoint): a hostile map may
    // span 2^35 of them.
    std::uint64_t sections = 0;
    std::optional<std::uint64_t> last_counted;
    for (const auto& r : in.memory->regions) {
        const std::uint64_t begin = (r.base + page - 1) / page * page, end = std::min(r.end() / page * page, limit);
        if (begin >= end) continue;
        e.present += end - begin;
        std::uint64_t first = begin / section;
        const std::uint64_t last = (end - 1) / section;
        if (last_counted && first <= *last_counted) first = *last_counted + 1;
        if (first <= last) sections += last - first + 1;
        last_counted = last_counted ? std::max(*last_counted, last) : last;
    }
    // sparse_init(): a section's struct pages come whole, 64 bytes for each of its pages.
    const std::uint64_t memmap = sections * (section / page) * 64;
    e.kept.push_back({"struct pages (memmap)", memmap});
    e.kept.push_back({"kernel image (code, data, bss)", in.image.kept()});
    for (const auto& c : in.carve_outs)
        if (c.bytes) e.kept.push_back(c);
    // The rest of the early allocations grow with RAM (the direct map's page tables, per-node
    // data): 768 KiB, growing to 4 MiB over the first GiB, then 2 MiB per GiB present fit Debian's 6.1
    // and 6.12 QEMU captures from 128 MiB (arm64 mem=128M) up within the stated tolerance.
    constexpr std::uint64_t kGiB = 1ull << 30;
    const std::uint64_t first_gib = std::min(e.present, kGiB);
    const std::uint64_t other = (768ull << 10) + first_gib / (1ull << 20) * ((4ull << 20) - (768ull << 10)) / 1024 + e.present / kGiB * (2ull << 20);
    e.kept.push_back({"other early allocations (page tables, per-CPU areas, node data)", other});
    std::uint64_t kept = 0;
    for (const auto& k : e.kept) kept += k.bytes;
    e.mem_total = e.present > kept ? e.present - kept : 0;
    e.left_out = {"memory that drivers and user space take after boot", "a kernel built otherwise than Debian's (its code and data sizes)"};
    return e;
}

}  // namespace bootmap
