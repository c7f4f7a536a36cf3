#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void memory_unspecified(const DtRuleContext& c, Findings& out) {
    if (c.have_memory || c.tree.is_overlay()) return;
    out.push_back(make_finding(rules::dt_memory_unspecified, c.tree.root.location(),
                               "no memory node gives any RAM (reg missing or of size 0): the bootloader fills it in, so where regions land "
                               "cannot be predicted; static regions and properties are still checked, but not regions outside RAM, RAM "
                               "fragments, dynamic placement, CMA or the crash kernel (give the RAM with --ram BASE,SIZE)"));
}

}  // namespace

const DtRule& dt_memory_unspecified_rule() {
    static constexpr DtRule rule{.info = {rules::dt_memory_unspecified, Severity::note,
                                  "the memory nodes give no RAM (a bootloader fills them in): placements cannot be predicted"},
                                 .on_tree = memory_unspecified};
    return rule;
}

}  // namespace bootmap
