#include "analysis/rule_catalogue.hpp"

#include <array>

namespace bootmap {
namespace {

constexpr std::array<RuleInfo, 49> kRules{{
    {rules::iomem_end_before_start, Severity::error, "a resource's end address is below its start"},
    {rules::iomem_range_wraps, Severity::warning, "a resource ends at the top of the 64-bit address space, so end + 1 wraps to 0"},
    {rules::iomem_child_outside_parent, Severity::error, "a nested resource is not inside its parent"},
    {rules::iomem_sibling_overlap, Severity::error, "two resources at the same level overlap"},
    {rules::iomem_ram_request_conflict, Severity::error,
     "hot-added System RAM sits where the kernel's resource request would collide with a busy resource"},
    {rules::iomem_hole, Severity::note, "a stretch of address space between top-level resources that no resource describes"},
    {rules::cmdline_memparse_surprise, Severity::warning,
     "a size or address the kernel's memparse() reads differently from what it looks like (octal, wrapped, bare suffix, fraction)"},
    {rules::cmdline_mem_invalid, Severity::warning, "mem= with a value the kernel refuses ('Malformed early option'): no limit is applied"},
    {rules::cmdline_memmap_invalid_item, Severity::warning, "a memmap= item the kernel cannot parse and silently ignores"},
    {rules::cmdline_memmap_trailing_text, Severity::warning, "a memmap= item with text after it that the kernel ignores or that voids the item"},
    {rules::cmdline_memmap_missing_address, Severity::warning, "memmap=nn@, #, $ or ! without an address: the kernel uses address 0"},
    {rules::cmdline_memmap_ram_over_hole, Severity::error,
     "memmap=nn@ss declares RAM where the firmware map has none: the kernel will use memory that may not exist"},
    {rules::cmdline_memmap_overridden, Severity::warning,
     "a memmap= entry over a firmware entry of a higher e820 type, which wins: the entry has no effect there"},
    {rules::cmdline_memmap_removes_all_ram, Severity::error, "memmap= with a limit of 0 removes all RAM"},
    {rules::cmdline_bootloader_dollar_expanded, Severity::error,
     "a '$' in a bootloader file that sh or GRUB expands on the way to the kernel, so the kernel sees something else"},
    {rules::cmdline_duplicate_parameter, Severity::warning, "a parameter given twice with different values: only one of them takes effect"},
    {rules::cmdline_unknown_memory_parameter, Severity::warning, "a parameter whose name is one typo away from a memory parameter (crashkernal=)"},
    {rules::crashkernel_invalid, Severity::warning, "a crashkernel= value the kernel refuses, with its warning; nothing is reserved"},
    {rules::crashkernel_zero_size, Severity::warning, "a crashkernel= range list that selects no size for this machine's RAM: nothing is reserved"},
    {rules::crashkernel_failed, Severity::error, "the crash kernel reservation fails on this memory map: kdump will not work"},
    {rules::crashkernel_offset_unaligned, Severity::error,
     "crashkernel=size@offset with an offset the allocator cannot return: the reservation always fails with 'memory is in use'"},
    {rules::cmdline_param_refused, Severity::warning,
     "a memory parameter whose value its kernel handler refuses or ignores (cma=, hugepages=, dmem=, reserve_mem=, ...)"},
    {rules::cmdline_param_unknown_to_kernel, Severity::warning, "a parameter the profile's kernel does not have (too old, or built without the feature): it goes to user space"},
    {rules::cmdline_reserve_over_ram, Severity::warning, "reserve= over RAM: it names the range in /proc/iomem but does not keep the kernel out"},
    {rules::cmdline_memmap_over_kernel_image, Severity::warning,
     "a memmap= entry over the kernel image (nokaslr): the kernel turns the image back into RAM, so less is reserved than asked"},
    {rules::cmdline_mem_below_kernel_image, Severity::error,
     "a mem=/memmap= limit below the end of the kernel image: the kernel keeps its image and has almost no memory left"},
    {rules::cma_failed, Severity::error, "the cma= area cannot be reserved on this memory map (too large for its window, misaligned, in use)"},
    {rules::dt_rmem_overlap, Severity::error, "two /reserved-memory regions claim the same memory (the kernel prints OVERLAP DETECTED! only for neighbours after sorting)"},
    {rules::dt_rmem_outside_ram, Severity::warning, "a static /reserved-memory region outside every memory node, or straddling a hole"},
    {rules::dt_rmem_dropped, Severity::error, "a /reserved-memory region past the kernel's 64-entry array: never placed (dynamic) or never usable by its device (static)"},
    {rules::dt_rmem_unplaceable, Severity::error, "a dynamic /reserved-memory region the kernel cannot place in its alloc-ranges"},
    {rules::dt_rmem_cma_misaligned, Severity::error, "a CMA pool (shared-dma-pool, reusable) whose base or size is not a whole number of pageblocks for the page size"},
    {rules::dt_rmem_nomap_reusable, Severity::error, "no-map and reusable together: the memory can be neither unmapped nor lent to the page allocator"},
    {rules::dt_rmem_reg_and_size, Severity::warning, "a /reserved-memory child with both reg and size (size ignored) or neither (the child is ignored)"},
    {rules::dt_rmem_cells_mismatch, Severity::error, "/reserved-memory cells differ from the root's or ranges is missing: the kernel ignores every region"},
    {rules::dt_rmem_invalid_property, Severity::error, "a reg, size, alignment or alloc-ranges property of the wrong length: the kernel skips the region"},
    {rules::dt_rmem_init_failed, Severity::error, "a region whose compatible's setup fails: the kernel gives its memory back (compatible matching fail)"},
    {rules::dt_unit_address_mismatch, Severity::warning, "a node's unit address differs from the first address of its reg"},
    {rules::dt_rmem_ram_fragment, Severity::warning, "static reserved regions leave a piece of RAM smaller than a pageblock between them"},
    {rules::dt_rmem_profile_change, Severity::note, "a region lands elsewhere, or is dropped, under the other reserved_mem implementation (6.1 vs 6.12+)"},
    {rules::dt_memory_unspecified, Severity::note, "the memory nodes give no RAM (a bootloader fills them in): placements cannot be predicted"},
    {rules::kmem_stranded_capacity, Severity::warning,
     "a dax device whose start or end is off a memory-block boundary: that much capacity never becomes RAM through kmem"},
    {rules::kmem_rejected_region, Severity::warning, "a dax device without one whole memory block: kmem rejects it"},
    {rules::dmem_shortfall, Severity::warning,
     "dmem= reserves less than asked on a node (or in its @addr window); the kernel's own line misstates the amount"},
    {rules::dmem_region_table_full, Severity::error, "dmem needs more regions than its table holds (93 with 4 KiB pages): every node stops"},
    {rules::dmem_kernel_share_short, Severity::warning, "dmem=!SIZE leaves the kernel less than SIZE on a node"},
    {rules::dmem_starves_boot_reservations, Severity::error,
     "what dmem= takes leaves too little for a later boot reservation that fits without it (crashkernel=, gigantic hugepages=)"},
    {rules::e820_user_map_invalid, Severity::error, "the user-defined e820 map is invalid: the kernel panics with 'Invalid user supplied memory map'"},
    {rules::e820_pram_unaligned, Severity::warning,
     "a memmap=nn!ss legacy pmem region not aligned to the memory section size: memory is stranded when it is used as RAM"},
}};

}  // namespace

std::span<const RuleInfo> rule_catalogue() { return kRules; }

std::optional<RuleInfo> find_rule(std::string_view id) {
    for (const auto& rule : kRules)
        if (rule.id == id) return rule;
    return std::nullopt;
}

}  // namespace bootmap
