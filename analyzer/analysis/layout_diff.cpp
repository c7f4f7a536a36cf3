#include "analysis/layout_diff.hpp"

#include <algorithm>
#include <map>

#include "kernel/e820.hpp"

namespace bootmap {

std::vector<LayoutItem> layout_items(const IomemTree& tree) {
    std::vector<LayoutItem> items;
    std::vector<std::string> paths(tree.entries.size());
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        paths[i] = e.parent ? paths[*e.parent] + "/" + e.name : e.name;
        if (const auto range = e.range()) items.push_back({paths[i], *range, e.line});
    }
    return items;
}

std::vector<LayoutItem> layout_items(const E820Table& table) {
    std::vector<LayoutItem> items;
    for (const auto& e : table.entries)
        if (const auto range = AddrRange::from_bounds(e.addr, e.end()); range && e.end() >= e.addr)
            items.push_back({std::string(e820_type_name(e.type)), *range, e.where.line});
    return items;
}

std::vector<LayoutChange> diff_layouts(const std::vector<LayoutItem>& before, const std::vector<LayoutItem>& after) {
    // Equal paths pair up in order; identical ranges pair first, so that one inserted region does
    // not shift every later one of the same name.
    std::map<std::string, std::vector<const LayoutItem*>> by_path;
    for (const auto& item : after) by_path[item.path].push_back(&item);
    std::vector<LayoutChange> changes;
    std::vector<const LayoutItem*> unmatched_before;
    for (const auto& item : before) {
        auto& candidates = by_path[item.path];
        const auto same = std::find_if(candidates.begin(), candidates.end(), [&](const LayoutItem* c) { return c->range == item.range; });
        if (same != candidates.end()) {
            candidates.erase(same);
            continue;
        }
        unmatched_before.push_back(&item);
    }
    for (const auto* item : unmatched_before) {
        auto& candidates = by_path[item->path];
        if (candidates.empty()) {
            changes.push_back({LayoutChangeKind::vanished, item->path, item->range, std::nullopt, item->line, 0});
            continue;
        }
        const LayoutItem* other = candidates.front();
        candidates.erase(candidates.begin());
        const bool same_size = other->range.size() == item->range.size();
        const bool same_start = other->range.begin() == item->range.begin();
        const auto kind = same_size ? LayoutChangeKind::moved : (same_start ? LayoutChangeKind::resized : LayoutChangeKind::changed);
        changes.push_back({kind, item->path, item->range, other->range, item->line, other->line});
    }
    for (const auto& [path, left] : by_path)
        for (const auto* item : left) changes.push_back({LayoutChangeKind::appeared, path, std::nullopt, item->range, 0, item->line});
    std::stable_sort(changes.begin(), changes.end(), [](const LayoutChange& a, const LayoutChange& b) {
        const auto key = [](const LayoutChange& c) { return (c.before ? c.before : c.after)->begin(); };
        return key(a) < key(b);
    });
    return changes;
}

}  // namespace bootmap
