#pragma once
// Findings about the memory parameters' values: what each kernel handler refuses or ignores (with
// its own words), parameters the profile's kernel does not have yet, and reserve= over RAM.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "core/diagnostic.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> boot_param_rules();

namespace rules {
inline constexpr std::string_view cmdline_param_refused = "cmdline-param-refused";
inline constexpr std::string_view cmdline_param_unknown_to_kernel = "cmdline-param-unknown-to-kernel";
inline constexpr std::string_view cmdline_reserve_over_ram = "cmdline-reserve-over-ram";
inline constexpr std::string_view cmdline_too_long = "cmdline-too-long";
}  // namespace rules

std::vector<Diagnostic> check_boot_params(const KernelCommandLine& cmdline, const KernelProfile& profile, const E820Table* firmware);

}  // namespace bootmap
