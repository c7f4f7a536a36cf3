#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void unit_address_mismatch(const DtRuleContext&, const FdtReservedNode& child, Findings& out) {
    if (!child.has_reg || child.reg_length_invalid || child.reg.empty()) return;
    if (const auto unit = unit_address(child.name); unit && *unit != child.reg.front().first)
        out.push_back(make_finding(rules::dt_unit_address_mismatch, child.node->location(),
                                   fmt::format("'{}' says {:#x} in its name but its reg starts at {:#x}", child.name, *unit, child.reg.front().first)));
}

}  // namespace

const DtRule& dt_unit_address_mismatch_rule() {
    static constexpr DtRule rule{.info = {rules::dt_unit_address_mismatch, Severity::warning,
                                  "a node's unit address differs from the first address of its reg"},
                                 .on_child = unit_address_mismatch};
    return rule;
}

}  // namespace bootmap
