#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void nomap_reusable(const DtRuleContext&, const FdtReservedNode& child, Findings& out) {
    if (child.no_map && child.reusable)
        out.push_back(make_finding(rules::dt_rmem_nomap_reusable, child.node->location_of("reusable"),
                                   fmt::format("'{}' is both no-map and reusable: a CMA pool must stay mapped, so its setup fails", child.name)));
}

}  // namespace

const DtRule& dt_rmem_nomap_reusable_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_nomap_reusable, Severity::error,
                                  "no-map and reusable together: the memory can be neither unmapped nor lent to the page allocator"},
                                 .on_child = nomap_reusable};
    return rule;
}

}  // namespace bootmap
