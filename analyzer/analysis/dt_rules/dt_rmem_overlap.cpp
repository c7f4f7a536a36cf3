#include "analysis/dt_rules/dt_rule.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// Every overlapping pair among regions that hold memory, not only the neighbours the kernel compares.
void overlap(const DtRuleContext& c, Findings& out) {
    auto holding = regions_holding_memory(c.boot);
    // Without RAM, where dynamic regions land is unknown: only static ones are compared.
    if (c.static_only) std::erase_if(holding, [](const ReservedRegion* r) { return r->dynamic; });
    const auto& overlaps = c.boot.rmem.overlaps;
    for (std::size_t i = 0; i < holding.size(); ++i)
        for (std::size_t j = i + 1; j < holding.size() && holding[j]->base < holding[i]->base + holding[i]->size; ++j) {
            const auto& a = *holding[i];
            const auto& b = *holding[j];
            // The kernel's pair in either order: regions of the same base may sort either way.
            const bool reported = std::any_of(overlaps.begin(), overlaps.end(), [&](const auto& pair) {
                const auto* first = &c.boot.rmem.regions[pair.first];
                const auto* second = &c.boot.rmem.regions[pair.second];
                return (first == &a && second == &b) || (first == &b && second == &a);
            });
            auto d = make_finding(rules::dt_rmem_overlap, where_of(b),
                                  fmt::format("'{}' {} overlaps '{}' {}{}", b.name, span(b.base, b.size), a.name, span(a.base, a.size),
                                              reported ? " (the kernel says OVERLAP DETECTED!)" : " (the kernel does not notice: they are not neighbours after its sort)"),
                                  range_of(b.base, b.size));
            d.related.push_back({where_of(a), fmt::format("'{}' is defined here", a.name), range_of(a.base, a.size)});
            if (a.node && !(a.node->location() == where_of(a))) d.related.push_back({a.node->location(), fmt::format("'{}' is declared here", a.name), std::nullopt});
            for (auto& rel : override_chain(b.node)) d.related.push_back(rel);
            out.push_back(std::move(d));
        }
}

}  // namespace

const DtRule& dt_rmem_overlap_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_overlap, Severity::error,
                                  "two /reserved-memory regions claim the same memory (the kernel prints OVERLAP DETECTED! only for neighbours after sorting)"},
                                 .after_walk = overlap};
    return rule;
}

}  // namespace bootmap
