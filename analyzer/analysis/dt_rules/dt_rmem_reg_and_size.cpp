#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void reg_and_size(const DtRuleContext&, const FdtReservedNode& child, Findings& out) {
    if (child.has_reg && child.has_size)
        out.push_back(make_finding(rules::dt_rmem_reg_and_size, child.node->location_of("size"),
                                   fmt::format("'{}' has both reg and size: the kernel reserves reg and ignores size", child.name)));
    if (!child.has_reg && !child.has_size)
        out.push_back(make_finding(rules::dt_rmem_reg_and_size, child.node->location(),
                                   fmt::format("'{}' has neither reg nor size: the kernel ignores it without a word", child.name)));
}

}  // namespace

const DtRule& dt_rmem_reg_and_size_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_reg_and_size, Severity::warning,
                                  "a /reserved-memory child with both reg and size (size ignored) or neither (the child is ignored)"},
                                 .on_child = reg_and_size};
    return rule;
}

}  // namespace bootmap
