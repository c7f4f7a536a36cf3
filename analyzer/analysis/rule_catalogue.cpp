#include "analysis/rule_catalogue.hpp"

#include <array>

namespace bootmap {
namespace {

constexpr std::array<RuleInfo, 6> kRules{{
    {rules::iomem_end_before_start, Severity::error, "a resource's end address is below its start"},
    {rules::iomem_range_wraps, Severity::warning, "a resource ends at the top of the 64-bit address space, so end + 1 wraps to 0"},
    {rules::iomem_child_outside_parent, Severity::error, "a nested resource is not inside its parent"},
    {rules::iomem_sibling_overlap, Severity::error, "two resources at the same level overlap"},
    {rules::iomem_ram_request_conflict, Severity::error,
     "hot-added System RAM sits where the kernel's resource request would collide with a busy resource"},
    {rules::iomem_hole, Severity::note, "a stretch of address space between top-level resources that no resource describes"},
}};

}  // namespace

std::span<const RuleInfo> rule_catalogue() { return kRules; }

std::optional<RuleInfo> find_rule(std::string_view id) {
    for (const auto& rule : kRules)
        if (rule.id == id) return rule;
    return std::nullopt;
}

}  // namespace bootmap
