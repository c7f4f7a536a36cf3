#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void init_failed(const DtRuleContext&, const ReservedRegion& r, Findings& out) {
    if (!r.init_failed) return;
    auto d = make_finding(rules::dt_rmem_init_failed, where_of(r, "compatible"),
                          fmt::format("the setup of '{}' fails ({}): the kernel gives the memory back", r.name,
                                      r.bypassed ? "cma= on the command line bypasses linux,cma-default pools"
                                                 : (r.problems.empty() ? "compatible matching fail" : r.problems.back())),
                          range_of(r.base, r.size));
    d.related = override_chain(r.node);
    out.push_back(std::move(d));
}

}  // namespace

const DtRule& dt_rmem_init_failed_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_init_failed, Severity::error,
                                  "a region whose compatible's setup fails: the kernel gives its memory back (compatible matching fail)"},
                                 .on_region = init_failed};
    return rule;
}

}  // namespace bootmap
