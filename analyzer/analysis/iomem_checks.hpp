#pragma once
// The findings an iomem dump alone supports: structural errors of the tree, resource requests the
// kernel would refuse, and holes.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "analysis/iomem_totals.hpp"
#include "core/diagnostic.hpp"
#include "model/kernel_profile.hpp"
#include "model/iomem.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> iomem_rules();

namespace rules {
inline constexpr std::string_view iomem_end_before_start = "iomem-end-before-start";
inline constexpr std::string_view iomem_range_wraps = "iomem-range-wraps";
inline constexpr std::string_view iomem_child_outside_parent = "iomem-child-outside-parent";
inline constexpr std::string_view iomem_sibling_overlap = "iomem-sibling-overlap";
inline constexpr std::string_view iomem_ram_request_conflict = "iomem-ram-request-conflict";
inline constexpr std::string_view iomem_hole = "iomem-hole";
}  // namespace rules

std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile);
// The same with the totals already computed (the holes come from them).
std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile, const IomemTotals& totals);

}  // namespace bootmap
