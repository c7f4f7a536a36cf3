#pragma once
// Every rule bootmap can report, with its stable ID (users suppress and grep by it), default
// severity and one-line summary. Adding a rule means adding a row here, a doc in docs/rules/ and a
// fixture pair that fires and does not fire it.

#include <optional>
#include <span>
#include <string_view>

#include "core/diagnostic.hpp"

namespace bootmap {

struct RuleInfo {
    std::string_view id;
    Severity severity;
    std::string_view summary;
};

std::span<const RuleInfo> rule_catalogue();
std::optional<RuleInfo> find_rule(std::string_view id);

namespace rules {
inline constexpr std::string_view iomem_end_before_start = "iomem-end-before-start";
inline constexpr std::string_view iomem_range_wraps = "iomem-range-wraps";
inline constexpr std::string_view iomem_child_outside_parent = "iomem-child-outside-parent";
inline constexpr std::string_view iomem_sibling_overlap = "iomem-sibling-overlap";
inline constexpr std::string_view iomem_ram_request_conflict = "iomem-ram-request-conflict";
inline constexpr std::string_view iomem_hole = "iomem-hole";
inline constexpr std::string_view cmdline_memparse_surprise = "cmdline-memparse-surprise";
inline constexpr std::string_view cmdline_mem_invalid = "cmdline-mem-invalid";
inline constexpr std::string_view cmdline_memmap_invalid_item = "cmdline-memmap-invalid-item";
inline constexpr std::string_view cmdline_memmap_trailing_text = "cmdline-memmap-trailing-text";
inline constexpr std::string_view cmdline_memmap_missing_address = "cmdline-memmap-missing-address";
inline constexpr std::string_view cmdline_memmap_ram_over_hole = "cmdline-memmap-ram-over-hole";
inline constexpr std::string_view cmdline_memmap_overridden = "cmdline-memmap-overridden";
inline constexpr std::string_view cmdline_memmap_removes_all_ram = "cmdline-memmap-removes-all-ram";
inline constexpr std::string_view cmdline_bootloader_dollar_expanded = "cmdline-bootloader-dollar-expanded";
inline constexpr std::string_view cmdline_duplicate_parameter = "cmdline-duplicate-parameter";
inline constexpr std::string_view cmdline_unknown_memory_parameter = "cmdline-unknown-memory-parameter";
inline constexpr std::string_view crashkernel_invalid = "crashkernel-invalid";
inline constexpr std::string_view crashkernel_zero_size = "crashkernel-zero-size";
inline constexpr std::string_view crashkernel_failed = "crashkernel-failed";
inline constexpr std::string_view crashkernel_offset_unaligned = "crashkernel-offset-unaligned";
inline constexpr std::string_view cmdline_param_refused = "cmdline-param-refused";
inline constexpr std::string_view cmdline_param_unknown_to_kernel = "cmdline-param-unknown-to-kernel";
inline constexpr std::string_view cmdline_reserve_over_ram = "cmdline-reserve-over-ram";
inline constexpr std::string_view cmdline_memmap_over_kernel_image = "cmdline-memmap-over-kernel-image";
inline constexpr std::string_view cmdline_mem_below_kernel_image = "cmdline-mem-below-kernel-image";
inline constexpr std::string_view cma_failed = "cma-failed";
inline constexpr std::string_view kmem_stranded_capacity = "kmem-stranded-capacity";
inline constexpr std::string_view kmem_rejected_region = "kmem-rejected-region";
inline constexpr std::string_view dmem_shortfall = "dmem-shortfall";
inline constexpr std::string_view dmem_region_table_full = "dmem-region-table-full";
inline constexpr std::string_view dmem_kernel_share_short = "dmem-kernel-share-short";
inline constexpr std::string_view dmem_starves_boot_reservations = "dmem-starves-boot-reservations";
inline constexpr std::string_view e820_user_map_invalid = "e820-user-map-invalid";
inline constexpr std::string_view e820_pram_unaligned = "e820-pram-unaligned";
inline constexpr std::string_view dt_rmem_overlap = "dt-rmem-overlap";
inline constexpr std::string_view dt_rmem_outside_ram = "dt-rmem-outside-ram";
inline constexpr std::string_view dt_rmem_dropped = "dt-rmem-dropped";
inline constexpr std::string_view dt_rmem_unplaceable = "dt-rmem-unplaceable";
inline constexpr std::string_view dt_rmem_cma_misaligned = "dt-rmem-cma-misaligned";
inline constexpr std::string_view dt_rmem_nomap_reusable = "dt-rmem-nomap-reusable";
inline constexpr std::string_view dt_rmem_reg_and_size = "dt-rmem-reg-and-size";
inline constexpr std::string_view dt_rmem_cells_mismatch = "dt-rmem-cells-mismatch";
inline constexpr std::string_view dt_rmem_invalid_property = "dt-rmem-invalid-property";
inline constexpr std::string_view dt_rmem_init_failed = "dt-rmem-init-failed";
inline constexpr std::string_view dt_unit_address_mismatch = "dt-unit-address-mismatch";
inline constexpr std::string_view dt_rmem_ram_fragment = "dt-rmem-ram-fragment";
inline constexpr std::string_view dt_rmem_profile_change = "dt-rmem-profile-change";
inline constexpr std::string_view dt_memory_unspecified = "dt-memory-unspecified";
}  // namespace rules

}  // namespace bootmap
