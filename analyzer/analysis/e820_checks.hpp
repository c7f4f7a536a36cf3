#pragma once
// Findings from replaying mem= and memmap= over the firmware's e820 map. Without a firmware map,
// only the findings about the parameters themselves are made.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/x86_e820_setup.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> e820_rules();

namespace rules {
inline constexpr std::string_view cmdline_memparse_surprise = "cmdline-memparse-surprise";
inline constexpr std::string_view cmdline_size_without_unit = "cmdline-size-without-unit";
inline constexpr std::string_view cmdline_mem_invalid = "cmdline-mem-invalid";
inline constexpr std::string_view cmdline_memmap_invalid_item = "cmdline-memmap-invalid-item";
inline constexpr std::string_view cmdline_memmap_trailing_text = "cmdline-memmap-trailing-text";
inline constexpr std::string_view cmdline_memmap_missing_address = "cmdline-memmap-missing-address";
inline constexpr std::string_view cmdline_memmap_ram_over_hole = "cmdline-memmap-ram-over-hole";
inline constexpr std::string_view cmdline_memmap_overridden = "cmdline-memmap-overridden";
inline constexpr std::string_view cmdline_memmap_reserve_no_ram = "cmdline-memmap-reserve-no-ram";
inline constexpr std::string_view cmdline_ram_removed = "cmdline-ram-removed";
inline constexpr std::string_view cmdline_memmap_ram_over_firmware = "cmdline-memmap-ram-over-firmware";
inline constexpr std::string_view cmdline_memmap_pmem_over_non_ram = "cmdline-memmap-pmem-over-non-ram";
inline constexpr std::string_view cmdline_memmap_items_conflict = "cmdline-memmap-items-conflict";
inline constexpr std::string_view cmdline_memmap_removes_all_ram = "cmdline-memmap-removes-all-ram";
inline constexpr std::string_view cmdline_memmap_over_kernel_image = "cmdline-memmap-over-kernel-image";
inline constexpr std::string_view cmdline_mem_below_kernel_image = "cmdline-mem-below-kernel-image";
inline constexpr std::string_view e820_user_map_invalid = "e820-user-map-invalid";
inline constexpr std::string_view e820_pram_unaligned = "e820-pram-unaligned";
inline constexpr std::string_view e820_ram_beyond_addressing = "e820-ram-beyond-addressing";
}  // namespace rules

std::vector<Diagnostic> check_e820_setup(const Machine& machine, const X86E820Setup& setup);

}  // namespace bootmap
