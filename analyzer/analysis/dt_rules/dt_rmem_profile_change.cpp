#include "analysis/dt_rules/dt_rule.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// What an upgrade or downgrade across the reserved_mem rework changes for each region.
void profile_change(const DtRuleContext& c, Findings& out) {
    if (!c.other || !c.have_memory) return;
    const std::string_view other_name = c.profile.dynamic_reserved_mem_array() ? "6.1" : "6.12 and later";
    for (const auto& r : c.boot.rmem.regions) {
        const auto& others = c.other->rmem.regions;
        const auto it = std::find_if(others.begin(), others.end(), [&](const ReservedRegion& o) { return o.path == r.path; });
        if (it == others.end()) continue;
        const auto& o = *it;
        std::string change;
        if (r.dropped_by_limit != o.dropped_by_limit)
            change = o.dropped_by_limit ? fmt::format("{} drops it (64-entry array)", other_name) : fmt::format("{} keeps it", other_name);
        else if (r.dynamic && r.placed && o.placed && r.base != o.base)
            change = fmt::format("{} places it at {:#x} instead of {:#x}", other_name, o.base, r.base);
        else if (r.dynamic && r.placed != o.placed)
            change = o.placed ? fmt::format("{} places it at {:#x}", other_name, o.base) : fmt::format("{} cannot place it", other_name);
        if (change.empty()) continue;
        out.push_back(make_finding(rules::dt_rmem_profile_change, where_of(r, r.dynamic ? "size" : "reg"), fmt::format("'{}': {}", r.name, change)));
    }
}

}  // namespace

const DtRule& dt_rmem_profile_change_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_profile_change, Severity::note,
                                  "a region lands elsewhere, or is dropped, under the other reserved_mem implementation (6.1 vs 6.12+)"},
                                 .after_walk = profile_change};
    return rule;
}

}  // namespace bootmap
