#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// The largest free aligned block of each window tells how short it was.
void unplaceable(const DtRuleContext& c, const ReservedRegion& r, Findings& out) {
    if (!r.placement_failed || c.static_only) return;
    std::string windows;
    for (std::size_t i = 0; i < r.windows.size(); ++i) {
        const auto [s, e] = r.windows[i];
        const std::uint64_t end = e == kAllocAnywhere ? c.boot.memblock.end_of_dram() : e;
        // What memblock had when the kernel tried, not after the reservations that came later.
        const std::uint64_t free = i < r.largest_free_when_failed.size() ? r.largest_free_when_failed[i] : 0;
        windows += fmt::format("{}[{:#x}-{:#x}]: largest free aligned block {}", windows.empty() ? "" : "; ", s, end - 1, human_size(ByteSize{free}));
    }
    auto d = make_finding(rules::dt_rmem_unplaceable, where_of(r, "size"),
                          fmt::format("'{}' ({}, aligned to {}) cannot be placed: {}", r.name, human_size(ByteSize{r.requested_size}),
                                      human_size(ByteSize{r.alignment}), windows.empty() ? "no window" : windows));
    d.related = override_chain(r.node);
    out.push_back(std::move(d));
}

}  // namespace

const DtRule& dt_rmem_unplaceable_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_unplaceable, Severity::error,
                                  "a dynamic /reserved-memory region the kernel cannot place in its alloc-ranges"},
                                 .on_region = unplaceable};
    return rule;
}

}  // namespace bootmap
