#include "kernel/kmem.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

namespace bootmap {
namespace {

constexpr std::uint64_t kMinBlock = 128ull << 20;
constexpr std::uint64_t kMaxBlock = 2ull << 30;
constexpr std::uint64_t kLargeBlockThreshold = 64ull << 30;

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }
std::uint64_t align_down(std::uint64_t x, std::uint64_t a) { return x / a * a; }

}  // namespace

std::uint64_t memory_block_size(const KernelProfile& profile, const MemoryBlockInputs& machine) {
    switch (profile.arch) {
        case Arch::x86_64: {
            if (machine.boot_mem_end < kLargeBlockThreshold) return kMinBlock;
            if (!machine.hypervisor) return kMaxBlock;
            std::uint64_t bz = kMaxBlock;
            while (bz > kMinBlock && machine.boot_mem_end % bz != 0) bz >>= 1;
            return bz;
        }
        case Arch::arm64:
            // One section.
            return profile.section_size();
        case Arch::powerpc64: return 256ull << 20;  // 16 MiB sections, 256 MiB LMB on pseries (typical)
        case Arch::s390x: return 256ull << 20;
        default: return 1ull << 27;
    }
}

std::optional<AddrRange> devdax_range(AddrRange ns, DevdaxMap map, std::uint64_t align, std::uint64_t page_size) {
    constexpr std::uint64_t kInfoBlock = 8ull << 10;
    constexpr std::uint64_t kStructPageMax = 64;  // MAX_STRUCT_PAGE_SIZE: what each page's struct page may take
    constexpr std::uint64_t kCompatAlign = 2ull << 20;  // memremap_compat_align(): one subsection
    align = std::max(align, kCompatAlign);
    const std::uint64_t start = ns.begin().value(), size = ns.size().bytes();
    if (start % kCompatAlign != 0 || size <= kInfoBlock) return std::nullopt;
    const std::uint64_t end_trunc = start + size - align_down(start + size, align);
    const std::uint64_t pages = (size - kInfoBlock) / page_size;
    const std::uint64_t metadata = map == DevdaxMap::dev ? kStructPageMax * pages : 0;
    const std::uint64_t offset = align_up(start + kInfoBlock + metadata, align) - start;
    if (offset + end_trunc >= size) return std::nullopt;
    return AddrRange::from_bounds(PhysAddr{start + offset}, PhysAddr{start + size - end_trunc});
}

std::vector<DaxKmemBinding> bind_dax_kmem(const std::vector<AddrRange>& regions, const DaxNamespaceOptions& options, const KmemGeometry& geometry) {
    std::vector<DaxKmemBinding> out;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        DaxKmemBinding b;
        b.region = regions[i];
        b.namespace_name = fmt::format("namespace{}.0", i);
        b.dax_name = fmt::format("dax{}.0", i);
        b.dax = devdax_range(regions[i], options.map, options.align, geometry.page_size);
        if (b.dax) {
            b.reserve = AddrRange::from_bounds(regions[i].begin(), b.dax->begin());
            b.plan = plan_kmem_range(*b.dax, geometry.block_size, KmemPolicy::kernel, geometry.page_size);
            b.add_failed = b.plan.hotplug && !hotplug_addressable(*b.plan.hotplug, geometry.physmem_end);
        }
        out.push_back(std::move(b));
    }
    return out;
}

std::uint64_t relaxed_kmem_alignment(std::uint64_t device_size, std::uint64_t page_size) {
    // MAX_ORDER of v5.8 for the page size (arm64's FORCE_MAX_ZONEORDER; 11 elsewhere).
    const unsigned max_order = page_size == (64u << 10) ? 14 : page_size == (16u << 10) ? 12 : 11;
    unsigned order = 0;  // get_order(): the smallest order whose block holds the size
    while (order < max_order - 1 && (page_size << order) < device_size) ++order;
    return page_size << order;
}

std::vector<std::uint64_t> namespace_alignments(std::uint64_t page_size) {
    const unsigned page_shift = static_cast<unsigned>(std::countr_zero(page_size));
    const std::uint64_t pmd = std::uint64_t{1} << (page_shift + (page_shift - 3));
    if (page_size == 4096) return {page_size, pmd, std::uint64_t{1} << 30};
    return {page_size, pmd};
}

std::uint64_t default_namespace_alignment(std::uint64_t page_size) { return namespace_alignments(page_size)[1]; }

std::vector<std::uint64_t> block_sizes_consistent_with(AddrRange added, PhysAddr device_start, std::optional<PhysAddr> device_end) {
    std::vector<std::uint64_t> out;
    for (unsigned shift = 12; shift <= 40; ++shift) {
        const std::uint64_t block = std::uint64_t{1} << shift;
        if (added.begin().value() % block != 0 || added.size().bytes() % block != 0) continue;
        if (align_up(device_start.value(), block) != added.begin().value()) continue;
        if (device_end && align_down(device_end->value(), block) != added.end().value()) continue;
        out.push_back(block);
    }
    return out;
}

KmemRangePlan plan_kmem_range(AddrRange range, std::uint64_t block_size, KmemPolicy policy, std::uint64_t page_size) {
    const std::uint64_t align = policy == KmemPolicy::kernel ? block_size : relaxed_kmem_alignment(range.size().bytes(), page_size);
    const std::uint64_t b = align_up(range.begin().value(), align);
    const std::uint64_t e = b >= range.end().value() ? b : b + align_down(range.end().value() - b, align);
    KmemRangePlan plan{range, std::nullopt, ByteSize{0}, ByteSize{0}};
    if (b >= e) {
        plan.stranded_head = range.size();
        return plan;
    }
    plan.hotplug = *AddrRange::from_bounds(PhysAddr{b}, PhysAddr{e});
    plan.stranded_head = ByteSize{b - range.begin().value()};
    plan.stranded_tail = ByteSize{range.end().value() - e};
    return plan;
}

std::vector<std::string> kmem_messages(const std::string& device, const std::vector<KmemRangePlan>& ranges) {
    std::vector<std::string> out;
    bool any = false;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (ranges[i].hotplug) {
            any = true;
            continue;
        }
        out.push_back(fmt::format("kmem {}: mapping{}: {:#x}-{:#x} too small after alignment", device, i, ranges[i].range.begin().value(),
                                  ranges[i].range.last().value()));
    }
    if (!any) out.push_back(fmt::format("kmem {}: rejecting DAX region without any memory after alignment", device));
    return out;
}

std::vector<std::string> kmem_binding_messages(const DaxKmemBinding& b, std::uint64_t physmem_end) {
    std::vector<std::string> out = kmem_messages(b.dax_name, {b.plan});
    if (!b.plan.hotplug) {
        out.push_back(fmt::format("kmem: probe of {} failed with error -22", b.dax_name));  // -EINVAL
    } else if (b.add_failed) {
        const auto failed = kmem_add_failure_messages(b.dax_name, *b.plan.hotplug, physmem_end);
        out.insert(out.end(), failed.begin(), failed.end());
    }
    return out;
}

bool hotplug_addressable(AddrRange hotplug, std::uint64_t physmem_end) { return hotplug.end().value() <= physmem_end; }

std::vector<std::string> kmem_add_failure_messages(const std::string& device, AddrRange r, std::uint64_t physmem_end) {
    return {fmt::format("Hotplug memory [{:#x}-{:#x}] exceeds maximum addressable range [{:#x}-{:#x}]", r.begin().value(), r.end().value(), 0,
                        physmem_end - 1),
            fmt::format("kmem {}: mapping0: {:#x}-{:#x} memory add failed", device, r.begin().value(), r.last().value()),
            fmt::format("kmem: probe of {} failed with error -7", device)};  // -E2BIG
}

}  // namespace bootmap
