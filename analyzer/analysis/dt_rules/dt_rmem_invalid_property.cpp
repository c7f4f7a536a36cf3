#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void invalid_property(const DtRuleContext&, const ReservedRegion& r, Findings& out) {
    if (!r.invalid) return;
    auto d = make_finding(rules::dt_rmem_invalid_property, where_of(r, r.dynamic ? "size" : "reg"),
                          fmt::format("the kernel skips '{}': {}", r.name, r.problems.empty() ? "invalid property" : r.problems.front()));
    d.related = override_chain(r.node);
    out.push_back(std::move(d));
}

}  // namespace

const DtRule& dt_rmem_invalid_property_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_invalid_property, Severity::error,
                                  "a reg, size, alignment or alloc-ranges property of the wrong length: the kernel skips the region"},
                                 .on_region = invalid_property};
    return rule;
}

}  // namespace bootmap
