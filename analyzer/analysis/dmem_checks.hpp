#pragma once
// Findings from replaying dmem= (seed 000): the true shortfall per node behind the seed's misleading
// message, region-table exhaustion, and '!' mode leaving the kernel less than asked.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/dmem.hpp"
#include "kernel/x86_boot.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> dmem_rules();

namespace rules {
inline constexpr std::string_view dmem_shortfall = "dmem-shortfall";
inline constexpr std::string_view dmem_region_table_full = "dmem-region-table-full";
inline constexpr std::string_view dmem_kernel_share_short = "dmem-kernel-share-short";
inline constexpr std::string_view dmem_starves_boot_reservations = "dmem-starves-boot-reservations";
}  // namespace rules

std::vector<Diagnostic> check_dmem(const KernelCommandLine& cmdline, const DmemOutcome& dmem);

// What dmem leaves for the reservations that come after it in boot: crashkernel= (replayed after
// dmem) and the gigantic pages hugepages= allocates from memblock later. `with` and `without` are
// the same boot with and without dmem.
std::vector<Diagnostic> check_dmem_leftovers(const KernelCommandLine& cmdline, const X86Boot& with, const X86Boot& without);

}  // namespace bootmap
