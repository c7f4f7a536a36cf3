#include "analysis/dt_rules/dt_rule.hpp"

#include <algorithm>

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
    // alloc-ranges that miss the tree's RAM altogether were written for the RAM the bootloader puts
    // into /memory (a phone's or an evaluation board's tree keeps a small placeholder): what the tree
    // says is then no evidence the board cannot place the region.
    const bool beyond_tree_ram = !r.windows.empty() && std::none_of(r.windows.begin(), r.windows.end(), [&](const auto& w) {
        const std::uint64_t end = w.second == kAllocAnywhere ? c.boot.memblock.end_of_dram() : w.second;
        return std::any_of(c.boot.memblock.memory().regions.begin(), c.boot.memblock.memory().regions.end(),
                           [&](const auto& m) { return m.base < end && w.first < m.end(); });
    });
    auto d = make_finding(rules::dt_rmem_unplaceable, where_of(r, "size"),
                          fmt::format("'{}' ({}, aligned to {}) cannot be placed: {}{}", r.name, human_size(ByteSize{r.requested_size}),
                                      human_size(ByteSize{r.alignment}), windows.empty() ? "no window" : windows,
                                      beyond_tree_ram ? "; its alloc-ranges lie wholly outside the tree's memory nodes, so the bootloader "
                                                        "must write more RAM into /memory: give that RAM with --ram BASE,SIZE to check the "
                                                        "placement"
                                                      : ""));
    if (beyond_tree_ram) d.severity = Severity::note;
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
