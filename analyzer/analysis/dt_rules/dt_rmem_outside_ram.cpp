#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

void outside_ram(const DtRuleContext& c, const ReservedRegion& r, Findings& out) {
    if (!c.have_memory || r.dynamic || r.invalid) return;
    for (const auto& e : r.entries) {
        if (e.size == 0 || e.base + e.size < e.base) continue;
        if (inside_memory(c.boot.fdt, e.base, e.base + e.size)) continue;
        const bool partly = touches_memory(c.boot.fdt, e.base, e.base + e.size);
        // A no-map region wholly outside RAM describes memory the kernel never had (SRAM, video RAM,
        // an alias window) to the driver that uses it: intended, and nothing to report.
        if (r.no_map && !partly) continue;
        auto d = make_finding(rules::dt_rmem_outside_ram, where_of(r),
                              partly ? fmt::format("'{}' {} straddles the edge of RAM: only its part inside memory nodes is reserved", r.name, span(e.base, e.size))
                                     : fmt::format("'{}' {} lies outside every memory node: memblock records a reservation over no RAM",
                                                   r.name, span(e.base, e.size)),
                              range_of(e.base, e.size));
        d.related = override_chain(r.node);
        out.push_back(std::move(d));
    }
}

}  // namespace

const DtRule& dt_rmem_outside_ram_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_outside_ram, Severity::warning,
                                  "a static /reserved-memory region that is not no-map outside every memory node, or any straddling the edge of RAM"},
                                 .on_region = outside_ram};
    return rule;
}

}  // namespace bootmap
