#pragma once
// Findings from replaying NUMA init on the SRAT: a table the kernel rejects, after which it fakes one
// node over all of RAM.

#include <span>
#include <string_view>
#include <vector>

#include "analysis/rule_info.hpp"
#include "core/diagnostic.hpp"
#include "kernel/numa.hpp"
#include "model/srat.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> numa_rules();

namespace rules {
inline constexpr std::string_view numa_init_failed = "numa-init-failed";
}  // namespace rules

// `numa`: NUMA init as replayed from `srat` on the booted memory map.
std::vector<Diagnostic> check_numa(const SratTable& srat, const NumaSetup& numa, std::uint64_t ram_end);

}  // namespace bootmap
