#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// RAM cut into slivers by static regions: a gap under one pageblock between two of them.
void ram_fragment(const DtRuleContext& c, Findings& out) {
    if (!c.have_memory) return;
    std::vector<const ReservedRegion*> statics;
    for (const auto* r : regions_holding_memory(c.boot))
        if (!r->dynamic) statics.push_back(r);
    const std::uint64_t threshold = c.profile.cma_min_alignment();
    for (std::size_t i = 0; i + 1 < statics.size(); ++i) {
        const std::uint64_t gap_start = statics[i]->base + statics[i]->size;
        const std::uint64_t gap_end = statics[i + 1]->base;
        if (gap_end <= gap_start || gap_end - gap_start >= threshold) continue;
        if (!inside_memory(c.boot.fdt, gap_start, gap_end)) continue;
        out.push_back(make_finding(rules::dt_rmem_ram_fragment, where_of(*statics[i + 1]),
                                   fmt::format("'{}' and '{}' leave only {} of RAM between them {}, less than one pageblock ({})", statics[i]->name,
                                               statics[i + 1]->name, human_size(ByteSize{gap_end - gap_start}), span(gap_start, gap_end - gap_start),
                                               human_size(ByteSize{threshold})),
                                   range_of(gap_start, gap_end - gap_start)));
    }
}

}  // namespace

const DtRule& dt_rmem_ram_fragment_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_ram_fragment, Severity::warning,
                                  "static reserved regions leave a piece of RAM smaller than a pageblock between them"},
                                 .after_walk = ram_fragment};
    return rule;
}

}  // namespace bootmap
