#pragma once
// One device-tree rule as a unit: its catalogue entry and the hooks it takes in the one walk that
// check_device_tree() (analysis/dt_checks.cpp) makes over the boot replay — once for the tree, once per
// /reserved-memory child node, once per region the kernel scanned, once after the walks. A rule's file
// defines it; dt_rules.cpp lists the rules in the order their findings are reported.

#include <span>
#include <vector>

#include "analysis/rule_info.hpp"
#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"
#include "model/device_tree.hpp"

namespace bootmap {

struct DtRuleContext {
    const DeviceTree& tree;
    const Arm64Boot& boot;
    const Arm64Boot* other;  // the same boot under the other reserved_mem implementation, if replayed
    const KernelProfile& profile;
    bool have_memory = false;  // the memory nodes give RAM (else the bootloader fills them in)
    // No RAM is known: the replay stood in all of the address space so that what needs no RAM size
    // (static regions against each other, properties) is still judged; placements are not.
    bool static_only = false;
};

using Findings = std::vector<Diagnostic>;

struct DtRule {
    RuleInfo info;
    void (*on_tree)(const DtRuleContext&, Findings&) = nullptr;
    void (*on_child)(const DtRuleContext&, const FdtReservedNode&, Findings&) = nullptr;
    void (*on_region)(const DtRuleContext&, const ReservedRegion&, Findings&) = nullptr;
    void (*after_walk)(const DtRuleContext&, Findings&) = nullptr;
};

// Every device-tree rule, in reporting order.
std::span<const DtRule* const> dt_rules();

const DtRule& dt_memory_unspecified_rule();
const DtRule& dt_memory_beyond_addressing_rule();
const DtRule& dt_rmem_cells_mismatch_rule();
const DtRule& dt_rmem_reg_and_size_rule();
const DtRule& dt_rmem_nomap_reusable_rule();
const DtRule& dt_unit_address_mismatch_rule();
const DtRule& dt_rmem_invalid_property_rule();
const DtRule& dt_rmem_dropped_rule();
const DtRule& dt_rmem_unplaceable_rule();
const DtRule& dt_rmem_init_failed_rule();
const DtRule& dt_rmem_cma_misaligned_rule();
const DtRule& dt_rmem_outside_ram_rule();
const DtRule& dt_rmem_overlap_rule();
const DtRule& dt_rmem_ram_fragment_rule();
const DtRule& dt_rmem_profile_change_rule();
const DtRule& dt_elfcorehdr_in_nomap_rule();
const DtRule& dt_rmem_nomap_refused_rule();

namespace rules {
inline constexpr std::string_view dt_memory_unspecified = "dt-memory-unspecified";
inline constexpr std::string_view dt_memory_beyond_addressing = "dt-memory-beyond-addressing";
inline constexpr std::string_view dt_rmem_cells_mismatch = "dt-rmem-cells-mismatch";
inline constexpr std::string_view dt_rmem_reg_and_size = "dt-rmem-reg-and-size";
inline constexpr std::string_view dt_rmem_nomap_reusable = "dt-rmem-nomap-reusable";
inline constexpr std::string_view dt_unit_address_mismatch = "dt-unit-address-mismatch";
inline constexpr std::string_view dt_rmem_invalid_property = "dt-rmem-invalid-property";
inline constexpr std::string_view dt_rmem_dropped = "dt-rmem-dropped";
inline constexpr std::string_view dt_rmem_unplaceable = "dt-rmem-unplaceable";
inline constexpr std::string_view dt_rmem_init_failed = "dt-rmem-init-failed";
inline constexpr std::string_view dt_rmem_cma_misaligned = "dt-rmem-cma-misaligned";
inline constexpr std::string_view dt_rmem_outside_ram = "dt-rmem-outside-ram";
inline constexpr std::string_view dt_rmem_overlap = "dt-rmem-overlap";
inline constexpr std::string_view dt_rmem_ram_fragment = "dt-rmem-ram-fragment";
inline constexpr std::string_view dt_rmem_profile_change = "dt-rmem-profile-change";
inline constexpr std::string_view dt_elfcorehdr_in_nomap = "dt-elfcorehdr-in-nomap";
inline constexpr std::string_view dt_rmem_nomap_refused = "dt-rmem-nomap-refused";
}  // namespace rules

}  // namespace bootmap
