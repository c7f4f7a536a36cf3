#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void dropped(const DtRuleContext&, const ReservedRegion& r, Findings& out) {
    if (!r.dropped_by_limit) return;
    auto d = make_finding(rules::dt_rmem_dropped, where_of(r, r.dynamic ? "size" : "reg"),
                          r.dynamic ? fmt::format("'{}' is past the {} regions the kernel's array holds: it is never placed", r.name,
                                                  KernelProfile::kMaxReservedRegions)
                                    : fmt::format("'{}' is past the {} regions the kernel's array holds: its memory is reserved but no "
                                                  "device can claim it (of_reserved_mem_lookup fails)",
                                                  r.name, KernelProfile::kMaxReservedRegions),
                          r.dynamic ? std::nullopt : range_of(r.base, r.size));
    d.related = override_chain(r.node);
    out.push_back(std::move(d));
}

}  // namespace

const DtRule& dt_rmem_dropped_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_dropped, Severity::error,
                                  "a /reserved-memory region past the kernel's 64-entry array: never placed (dynamic) or never usable by its device (static)"},
                                 .on_region = dropped};
    return rule;
}

}  // namespace bootmap
