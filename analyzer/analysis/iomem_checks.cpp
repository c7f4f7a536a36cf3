#include "analysis/iomem_checks.hpp"

#include <array>

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "analysis/iomem_totals.hpp"
#include "analysis/finding.hpp"
#include "kernel/resource_tree.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 6> kRules{{
    {rules::iomem_end_before_start, Severity::error,
     "a resource's end address is below its start"},
    {rules::iomem_range_wraps, Severity::warning,
     "a resource ends at the top of the 64-bit address space, so end + 1 wraps to 0"},
    {rules::iomem_child_outside_parent, Severity::error,
     "a nested resource is not inside its parent"},
    {rules::iomem_sibling_overlap, Severity::error,
     "two resources at the same level overlap"},
    {rules::iomem_ram_request_conflict, Severity::error,
     "hot-added System RAM sits where the kernel's resource request would collide with a busy resource"},
    {rules::iomem_hole, Severity::note,
     "a stretch of address space between top-level resources that no resource describes"},
}};

}  // namespace

std::span<const RuleInfo> iomem_rules() { return kRules; }
namespace {

SourceLocation where_of(const IomemTree& tree, const IomemEntry& e) {
    return SourceLocation{tree.source, e.line, e.depth == 0 ? 1u : std::min(e.depth, 5u) * 2 + 1, std::nullopt};
}

std::string describe(const IomemEntry& e) {
    return fmt::format("'{}' {:08x}-{:08x}", e.name, e.first.value(), e.last.value());
}

Diagnostic make(std::string_view rule, const IomemTree& tree, const IomemEntry& e, std::string message) {
    return make_finding(rule, where_of(tree, e), std::move(message), e.range());
}

RelatedLocation related(const IomemTree& tree, const IomemEntry& e, std::string message) {
    return RelatedLocation{where_of(tree, e), std::move(message), e.range()};
}

void check_bounds(const IomemTree& tree, std::vector<Diagnostic>& out) {
    for (const auto& e : tree.entries) {
        if (e.last < e.first)
            out.push_back(make(rules::iomem_end_before_start, tree, e,
                               fmt::format("{} ends before it starts; no resource can have end < start", describe(e))));
        else if (e.last.value() == UINT64_MAX)
            out.push_back(make(rules::iomem_range_wraps, tree, e,
                               fmt::format("{} ends at the top of the 64-bit address space: end + 1 wraps to 0", describe(e))));
    }
}

void check_nesting(const IomemTree& tree, std::vector<Diagnostic>& out) {
    for (const auto& e : tree.entries) {
        if (!e.parent) continue;
        const IomemEntry& p = tree.entries[*e.parent];
        auto range = e.range();
        auto parent_range = p.range();
        if (!range || !parent_range || parent_range->contains(*range)) continue;
        auto d = make(rules::iomem_child_outside_parent, tree, e,
                      fmt::format("{} is nested below {} but is not inside it", describe(e), describe(p)));
        d.related.push_back(related(tree, p, "parent resource is here"));
        out.push_back(std::move(d));
    }
}

template <class Level>
void check_siblings(const IomemTree& tree, const Level& level, std::vector<Diagnostic>& out) {
    std::vector<std::size_t> valid;
    for (std::size_t i : level)
        if (tree.entries[i].range()) valid.push_back(i);
    std::stable_sort(valid.begin(), valid.end(), [&](std::size_t a, std::size_t b) { return tree.entries[a].first < tree.entries[b].first; });
    // Sweep in address order, remembering the sibling that reaches furthest: each overlap is reported
    // once, against the earlier resource it runs into.
    std::optional<std::size_t> reach;
    for (std::size_t i : valid) {
        const IomemEntry& e = tree.entries[i];
        if (reach && tree.entries[*reach].last >= e.first) {
            const IomemEntry& other = tree.entries[*reach];
            auto d = make(rules::iomem_sibling_overlap, tree, e,
                          fmt::format("{} overlaps {} at the same level; the kernel never inserts overlapping siblings",
                                      describe(e), describe(other)));
            d.related.push_back(related(tree, other, "the other resource is here"));
            out.push_back(std::move(d));
        }
        if (!reach || e.last > tree.entries[*reach].last) reach = i;
    }
}

void check_ram_requests(const IomemTree& tree, const KernelProfile& profile, std::vector<Diagnostic>& out) {
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        auto range = e.range();
        if (!e.parent || !is_system_ram_name(e.name) || !range) continue;
        const auto outcome = simulate_hotplug_request(tree, *range, profile, i);
        if (outcome.placed) continue;
        const IomemEntry& blocker = tree.entries[*outcome.conflict];
        std::string why;
        if (!profile.hotplug_ram_may_nest())
            why = fmt::format("kernel {} adds hot-plugged memory with request_resource() at the top level only, so the request collides with {}",
                              format_kernel_version(profile.version), describe(blocker));
        else if (outcome.conflict_busy == Busy::no)
            why = fmt::format("the range crosses the end of {}, so __request_region() cannot place it inside and fails with -EBUSY",
                              describe(blocker));
        else if (outcome.conflict_busy == Busy::yes)
            why = fmt::format("__request_region() cannot descend into the busy resource {} and fails with -EBUSY", describe(blocker));
        else
            why = fmt::format("__request_region() would stop at {}, which a driver most likely holds busy", describe(blocker));
        auto d = make(rules::iomem_ram_request_conflict, tree, e, fmt::format("hot-adding {}: {}", describe(e), why));
        if (outcome.conflict_busy == Busy::unknown && profile.hotplug_ram_may_nest()) d.severity = Severity::warning;
        d.related.push_back(related(tree, blocker, "the conflicting resource is here"));
        out.push_back(std::move(d));
    }
}

void check_holes(const IomemTree& tree, const IomemTotals& totals, std::vector<Diagnostic>& out) {
    // Anchor each hole at the first top-level resource after it, the line a reader looks at.
    std::vector<std::size_t> roots = tree.roots;
    std::erase_if(roots, [&](std::size_t i) { return !tree.entries[i].range(); });
    std::sort(roots.begin(), roots.end(), [&](std::size_t a, std::size_t b) { return tree.entries[a].first < tree.entries[b].first; });
    out.reserve(out.size() + totals.holes.size());
    for (const auto& hole : totals.holes) {
        auto next = std::lower_bound(roots.begin(), roots.end(), hole.end(),
                                     [&](std::size_t i, PhysAddr addr) { return tree.entries[i].first < addr; });
        if (next == roots.end()) continue;
        const IomemEntry& after = tree.entries[*next];
        Diagnostic d = make(rules::iomem_hole, tree, after,
                            fmt::format("{} ({}) is not described by any resource before {}", mem_range(hole), human_size(hole.size()),
                                        describe(after)));
        d.range = hole;
        out.push_back(std::move(d));
    }
}

}  // namespace

std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile) { return check_iomem(tree, profile, iomem_totals(tree)); }

std::vector<Diagnostic> check_iomem(const IomemTree& tree, const KernelProfile& profile, const IomemTotals& totals) {
    std::vector<Diagnostic> out;
    check_bounds(tree, out);
    check_nesting(tree, out);
    check_siblings(tree, tree.roots, out);
    for (std::size_t i = 0; i < tree.entries.size(); ++i)
        if (const auto children = tree.children(i); !children.empty()) check_siblings(tree, children, out);
    check_ram_requests(tree, profile, out);
    check_holes(tree, totals, out);
    const auto by_line = [](const Diagnostic& a, const Diagnostic& b) { return a.where.line < b.where.line; };
    if (!std::is_sorted(out.begin(), out.end(), by_line)) std::stable_sort(out.begin(), out.end(), by_line);
    return out;
}

}  // namespace bootmap
