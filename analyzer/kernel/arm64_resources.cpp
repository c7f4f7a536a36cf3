#include "kernel/arm64_resources.hpp"

#include <algorithm>

namespace bootmap {
namespace {

struct Span {
    std::uint64_t first;
    std::uint64_t last;  // inclusive
    std::string name;
};

// The configured reservations, the tree's blob and the firmware's, as memblock holds them:
// overlapping and touching ranges merged.
std::vector<std::pair<std::uint64_t, std::uint64_t>> merged_reservations(const Arm64Boot& boot) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    if (boot.fdt_blob && boot.fdt_blob->second) ranges.emplace_back(boot.fdt_blob->first, boot.fdt_blob->first + boot.fdt_blob->second);
    for (const auto& [base, size] : boot.efi_acpi_reclaim)
        if (size) ranges.emplace_back(base, base + size);
    for (const auto& c : boot.configured) {
        if (c.size == 0) continue;
        // A static no-map region is not in memblock.reserved: its top-level "reserved" has no child.
        const bool static_nomap = c.no_map && std::any_of(boot.rmem.regions.begin(), boot.rmem.regions.end(),
                                                          [&](const ReservedRegion& r) { return !r.dynamic && r.path == c.origin; });
        if (static_nomap) continue;
        ranges.emplace_back(c.base, c.base + c.size);
    }
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (const auto& r : ranges) {
        if (!out.empty() && r.first <= out.back().second)
            out.back().second = std::max(out.back().second, r.second);
        else
            out.push_back(r);
    }
    return out;
}

}  // namespace

IomemTree arm64_configured_iomem(const Arm64Boot& boot, const KernelProfile& profile) {
    const std::uint64_t page = std::uint64_t{1} << profile.page_shift;
    IomemTree tree;
    tree.source = "prediction";
    const auto reservations = merged_reservations(boot);
    for (const auto& region : boot.memblock.memory().regions) {
        const bool nomap = (region.flags & memblock_flag::nomap) != 0;
        IomemEntry top;
        top.first = PhysAddr{region.base};
        top.last = PhysAddr{region.end() - 1};
        top.name = nomap ? "reserved" : "System RAM";
        const std::size_t top_index = tree.entries.size();
        tree.roots.push_back(top_index);
        tree.entries.push_back(top);
        std::vector<Span> children;
        if (boot.crashkernel && boot.crashkernel->reserved) {
            const auto& ck = *boot.crashkernel;
            if (ck.base >= region.base && ck.base + ck.size <= region.end()) children.push_back({ck.base, ck.base + ck.size - 1, "Crash kernel"});
        }
        if (boot.crashkernel && boot.crashkernel->low) {
            const auto [low, low_size] = *boot.crashkernel->low;
            if (low >= region.base && low + low_size <= region.end()) children.push_back({low, low + low_size - 1, "Crash kernel"});
        }
        const auto occupied = children;
        for (const auto& [start, end] : reservations) {
            // reserve_memblock_reserved_regions(): whole pages.
            std::uint64_t from = std::max(start & ~(page - 1), region.base);
            const std::uint64_t to = std::min((end + page - 1) & ~(page - 1), region.end());
            if (from >= to) continue;
            // reserve_region_with_split(): the parts not already taken by a child.
            for (const auto& taken : occupied) {
                if (taken.last < from || taken.first >= to) continue;
                if (taken.first > from) children.push_back({from, taken.first - 1, "reserved"});
                from = taken.last + 1;
            }
            if (from < to) children.push_back({from, to - 1, "reserved"});
        }
        std::sort(children.begin(), children.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
        for (const auto& c : children) {
            IomemEntry child;
            child.first = PhysAddr{c.first};
            child.last = PhysAddr{c.last};
            child.name = c.name;
            child.depth = 1;
            child.parent = static_cast<std::uint32_t>(top_index);
            tree.entries.push_back(child);
        }
    }
    tree.blank_lines_before.assign(tree.entries.size() + 1, 0);
    tree.index_children();
    return tree;
}

MemblockType arm64_lasting_reservations(const Arm64Boot& boot, const KernelProfile& profile) {
    Memblock lasting(profile);
    lasting.allow_resize();
    // Reserved before arm64_memblock_init(), whose mem= limit takes them away with the memory
    // above it (memblock_cap_memory_range() trims both types).
    const auto reserve_in_memory = [&](std::uint64_t base, std::uint64_t size) {
        for (const auto& m : boot.memblock.memory().regions) {
            const std::uint64_t from = std::max(base, m.base), to = std::min(base + size, m.end());
            if (from < to) lasting.reserve(from, to - from);
        }
    };
    if (boot.fdt_blob) reserve_in_memory(boot.fdt_blob->first, boot.fdt_blob->second);
    for (const auto& [base, size] : boot.efi_acpi_reclaim) reserve_in_memory(base, size);
    for (const auto& c : boot.configured) {
        const bool static_nomap = c.no_map && std::any_of(boot.rmem.regions.begin(), boot.rmem.regions.end(),
                                                          [&](const ReservedRegion& r) { return !r.dynamic && r.path == c.origin; });
        if (!static_nomap) lasting.reserve(c.base, c.size);
    }
    return lasting.reserved();
}

std::vector<FirmwareMemoryRange> arm64_memory_from_iomem(const IomemTree& iomem) {
    std::vector<FirmwareMemoryRange> out;
    for (const std::size_t i : iomem.roots) {
        const IomemEntry& e = iomem.entries[i];
        const auto range = e.range();
        if (!range || (e.name != "System RAM" && e.name != "reserved")) continue;
        out.push_back({*range, e.name == "reserved"});
    }
    return out;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> arm64_kernel_image_from_iomem(const IomemTree& iomem) {
    std::optional<std::uint64_t> stext, end;
    for (const auto& e : iomem.entries) {
        if (e.depth != 1) continue;
        if (e.name == "Kernel code" && !stext) stext = e.first.value();
        if (e.name == "Kernel data" && !end) end = e.last.value() + 1;
    }
    if (!stext || !end || *end <= *stext) return std::nullopt;
    return std::pair{*stext, *end - *stext};
}

std::optional<EfiStubTree> efi_stub_tree_from_iomem(const IomemTree& iomem, std::uint64_t fdt_size, std::uint64_t page) {
    constexpr std::uint64_t kEfiAllocAlign = 64ull << 10;  // EFI_ALLOC_ALIGN on arm64
    if (fdt_size == 0 || page == 0 || fdt_size > (std::uint64_t{1} << 40)) return std::nullopt;
    const std::uint64_t pages = (fdt_size + page - 1) & ~(page - 1);
    for (const auto& e : iomem.entries) {
        if (e.depth != 1 || e.name != "reserved" || e.last.value() == ~std::uint64_t{0}) continue;
        const std::uint64_t first = e.first.value(), end = e.last.value() + 1;
        if (end - first < pages || first % kEfiAllocAlign != 0) continue;
        const std::uint64_t fdt = end - pages;
        if (fdt % kEfiAllocAlign != 0) continue;
        return EfiStubTree{{fdt, fdt_size}, {first, fdt - first}};
    }
    return std::nullopt;
}

}  // namespace bootmap
