#pragma once
// Findings from replaying crashkernel= on the predicted memory map.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/x86_boot.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> crashkernel_rules();

namespace rules {
inline constexpr std::string_view crashkernel_invalid = "crashkernel-invalid";
inline constexpr std::string_view crashkernel_zero_size = "crashkernel-zero-size";
inline constexpr std::string_view crashkernel_failed = "crashkernel-failed";
inline constexpr std::string_view crashkernel_offset_unaligned = "crashkernel-offset-unaligned";
inline constexpr std::string_view cma_failed = "cma-failed";
inline constexpr std::string_view hugetlb_cma_failed = "hugetlb-cma-failed";
inline constexpr std::string_view hugepages_gigantic_short = "hugepages-gigantic-short";
inline constexpr std::string_view arm64_mem_counts_nomap = "arm64-mem-counts-nomap";
}  // namespace rules

std::vector<Diagnostic> check_crashkernel(const KernelCommandLine& cmdline, const X86Boot& boot);
// arm64: a cma= area or crash kernel the replayed boot could not place, with the kernel's words.
std::vector<Diagnostic> check_arm64_placements(const KernelCommandLine& cmdline, const Arm64Boot& boot);

}  // namespace bootmap
