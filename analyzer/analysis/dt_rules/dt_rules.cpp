#include "analysis/dt_rules/dt_rule.hpp"

#include <array>

namespace bootmap {

std::span<const DtRule* const> dt_rules() {
    // Reporting order: the tree, then each child node, each region, and the pairs and comparisons.
    static const std::array<const DtRule*, 17> kRules{
        &dt_memory_unspecified_rule(),
        &dt_memory_beyond_addressing_rule(),
        &dt_rmem_cells_mismatch_rule(),
        &dt_rmem_reg_and_size_rule(),
        &dt_rmem_nomap_reusable_rule(),
        &dt_elfcorehdr_in_nomap_rule(),
        &dt_rmem_nomap_refused_rule(),
        &dt_unit_address_mismatch_rule(),
        &dt_rmem_invalid_property_rule(),
        &dt_rmem_dropped_rule(),
        &dt_rmem_unplaceable_rule(),
        &dt_rmem_init_failed_rule(),
        &dt_rmem_cma_misaligned_rule(),
        &dt_rmem_outside_ram_rule(),
        &dt_rmem_overlap_rule(),
        &dt_rmem_ram_fragment_rule(),
        &dt_rmem_profile_change_rule(),
    };
    return kRules;
}

}  // namespace bootmap
