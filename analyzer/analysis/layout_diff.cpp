#include "analysis/layout_diff.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include <fmt/format.h>

#include "kernel/e820.hpp"

namespace bootmap {

namespace {

using PathKey = std::array<std::uint64_t, 2>;

// Two independent FNV-1a style hashes of the path so far: equal paths get equal keys; unequal ones
// collide with negligible probability.
PathKey extend(PathKey parent, std::string_view name) {
    PathKey key = parent;
    const auto mix = [](std::uint64_t h, std::uint64_t prime, std::string_view s) {
        for (const unsigned char ch : s) h = (h ^ ch) * prime;
        return (h ^ 0x2f) * prime;  // the '/' between names
    };
    key[0] = mix(key[0], 1099511628211ull, name);
    key[1] = mix(key[1] ^ 0x9e3779b97f4a7c15ull, 0x100000001b3ull * 31 + 2, name);
    return key;
}

constexpr PathKey kRootKey{14695981039346656037ull, 0x84222325cbf29ce4ull};

// The key of a path written out ("System RAM/Crash kernel"), as the tree walk would extend it.
PathKey key_of(std::string_view path) {
    PathKey key = kRootKey;
    for (std::size_t at = 0, slash; at <= path.size(); at = slash + 1) {
        slash = path.find('/', at);
        if (slash == std::string_view::npos) slash = path.size();
        key = extend(key, path.substr(at, slash - at));
    }
    return key;
}
constexpr std::uint32_t kShownHead = 3;  // names shown before the elision
constexpr std::uint32_t kShownTail = 3;  // and after it

}  // namespace

Layout layout_items(const IomemTree& tree) {
    Layout layout;
    const std::size_t n = tree.entries.size();
    layout.items.reserve(n);
    std::vector<PathKey> keys(n);
    std::vector<std::uint32_t> depth(n, 0);
    // For a deep entry, its ancestor kShownHead names down, whose path is shown in full.
    std::vector<std::uint32_t> head(n, 0);
    {
        // The shown paths' lengths first, so that their string is allocated once at its size.
        std::vector<std::uint64_t> length(n, 0);
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const IomemEntry& e = tree.entries[i];
            const std::size_t p = e.parent.value_or(i);
            depth[i] = e.parent ? depth[p] + 1 : 0;
            head[i] = depth[i] + 1 == kShownHead ? static_cast<std::uint32_t>(i) : (e.parent ? head[p] : static_cast<std::uint32_t>(i));
            if (depth[i] < kShownHead + kShownTail + 1) {
                length[i] = e.parent ? length[p] + 1 + e.name.size() : e.name.size();
            } else {
                length[i] = length[head[i]] + std::string_view("/…").size() + 1 + e.name.size();
                std::size_t up = p;
                for (std::uint32_t k = 1; k < kShownTail; ++k, up = *tree.entries[up].parent) length[i] += 1 + tree.entries[up].name.size();
            }
            total += length[i];
        }
        layout.paths.reserve(total);
    }
    // Each entry's shown path, kept once in the layout's string: (offset, length).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> shown(n);
    const auto shown_path = [&](std::size_t i) { return std::string(std::string_view(layout.paths).substr(shown[i].first, shown[i].second)); };
    std::string path;
    for (std::size_t i = 0; i < n; ++i) {
        const IomemEntry& e = tree.entries[i];
        const std::size_t p = e.parent.value_or(i);
        keys[i] = extend(e.parent ? keys[p] : kRootKey, e.name);
        if (depth[i] < kShownHead + kShownTail + 1) {
            path = e.parent ? shown_path(p) + "/" + e.name : e.name;
        } else {
            // The last kShownTail names, nearest the root first.
            std::vector<const std::string*> tail{&e.name};
            for (std::size_t up = p; tail.size() < kShownTail; up = *tree.entries[up].parent) tail.push_back(&tree.entries[up].name);
            path = shown_path(head[i]);
            path += "/…";
            for (auto it = tail.rbegin(); it != tail.rend(); ++it) {
                path += '/';
                path += **it;
            }
        }
        shown[i] = {layout.store(path), static_cast<std::uint32_t>(path.size())};
        if (const auto range = e.range()) layout.items.push_back({keys[i], *range, e.line, shown[i].second, shown[i].first});
    }
    return layout;
}

Layout predicted_layout_items(const IomemTree& tree) {
    static constexpr std::string_view kE820Names[] = {"System RAM",         "Reserved",      "ACPI Tables",      "ACPI Non-volatile Storage",
                                                      "Unusable memory",    "Persistent Memory (legacy)", "Persistent Memory", "Soft Reserved",
                                                      "Unknown E820 type"};
    Layout layout;
    for (const auto& e : tree.entries) {
        const auto range = e.range();
        if (!range) continue;
        const IomemEntry* parent = e.parent ? &tree.entries[*e.parent] : nullptr;
        std::string path;
        if (std::find(std::begin(kE820Names), std::end(kE820Names), e.name) != std::end(kE820Names) || (!parent && e.name == "reserved"))
            path = e.name;
        else if (parent && parent->name == "System RAM" && (e.name == "Crash kernel" || e.name == "reserved"))
            path = "System RAM/" + e.name;
        else
            continue;
        layout.add(key_of(path), path, *range, e.line);
    }
    return layout;
}

void keep_predictable_reservations(const Layout& predicted, Layout& real) {
    const auto is_reservation = [](const Layout& layout, const LayoutItem& i) { return layout.path(i) == "System RAM/reserved"; };
    std::vector<AddrRange> placed;
    for (const auto& p : predicted.items)
        if (is_reservation(predicted, p)) placed.push_back(p.range);
    std::vector<LayoutItem> kept;
    kept.reserve(real.items.size());
    for (const auto& r : real.items) {
        if (!is_reservation(real, r)) {
            kept.push_back(r);
            continue;
        }
        std::vector<AddrRange> inside;
        bool partly = false;
        for (const auto& p : placed)
            if (p.overlaps(r.range)) (r.range.contains(p) ? inside : (partly = true, inside)).push_back(p);
        if (inside.empty()) continue;  // the kernel's own allocation alone
        if (partly) {
            kept.push_back(r);  // a reservation elsewhere than predicted
            continue;
        }
        // memblock joined the predicted reservations with allocations of the kernel's own next to
        // them into one entry: each predicted one is there.
        for (const auto& p : inside) {
            LayoutItem one = r;
            one.range = p;
            kept.push_back(one);
        }
    }
    real.items = std::move(kept);
}

Layout layout_items(const E820Table& table) {
    Layout layout;
    for (const auto& e : table.entries)
        if (const auto range = AddrRange::from_bounds(e.addr, e.end()); range && e.end() >= e.addr) {
            const std::string_view name = e820_type_name(e.type);
            layout.add(extend(kRootKey, name), name, *range, e.where.line);
        }
    return layout;
}

Layout layout_items(const X86Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    const unsigned page_shift = 12;
    const auto zones = x86_zone_layout(boot.memblock.memory(), e820_end_of_ram(boot.e820.final_map) >> page_shift, cmdline, profile);
    auto items = layout_items(boot.e820.invalid_user_map ? boot.e820.final_map : boot.e820.resource_map);
    const auto add = [&](const std::string& path, std::uint64_t base, std::uint64_t size) {
        const auto range = AddrRange::from_size(PhysAddr{base}, ByteSize{size});
        if (!range || range->empty()) return;
        items.add(key_of(path), path, *range, 0);
    };
    if (boot.crashkernel && boot.crashkernel->reserved) {
        add("System RAM/Crash kernel", boot.crashkernel->base, boot.crashkernel->size);
        if (boot.crashkernel->low) add("System RAM/Crash kernel", boot.crashkernel->low->first, boot.crashkernel->low->second);
    }
    for (const auto& z : zones.zones)
        if (z.end_pfn > z.start_pfn) add("zone " + z.name, z.start_pfn << page_shift, (z.end_pfn - z.start_pfn) << page_shift);
    for (const auto& n : zones.node_ranges) {
        if (n.end_pfn <= n.start_pfn) continue;
        add(fmt::format("node {}", n.nid), n.start_pfn << page_shift, (n.end_pfn - n.start_pfn) << page_shift);
        // ZONE_MOVABLE runs from the node's movable start to its end (kernelcore=, movablecore=).
        if (const auto it = zones.movable_start_pfn.find(n.nid); it != zones.movable_start_pfn.end() && it->second < n.end_pfn)
            add(fmt::format("node {}/zone Movable", n.nid), it->second << page_shift, (n.end_pfn - it->second) << page_shift);
    }
    return items;
}

namespace {

// The items of `after` grouped by a key (a path, or a path and a range), each group in file order,
// as one sorted array of indices: a group is found by binary search and its unused members are taken
// from the front. Flat arrays rather than a table of lists: a million items cost two arrays.
class Groups {
public:
    template <class Less>
    Groups(const std::vector<LayoutItem>& after, Less less) : after_(after), taken_(after.size(), 0) {
        order_.resize(after.size());
        std::iota(order_.begin(), order_.end(), std::uint32_t{0});
        std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) { return less(after[a], after[b]); });
    }

    // The first unused member of the group `item` belongs to, marked used; nullopt when none is left.
    template <class Less>
    std::optional<std::size_t> take(const LayoutItem& item, Less less, std::vector<bool>& used) {
        const auto lo = std::lower_bound(order_.begin(), order_.end(), item, [&](std::uint32_t i, const LayoutItem& x) { return less(after_[i], x); });
        const auto hi = std::upper_bound(lo, order_.end(), item, [&](const LayoutItem& x, std::uint32_t i) { return less(x, after_[i]); });
        if (lo == hi) return std::nullopt;
        const auto first = static_cast<std::size_t>(lo - order_.begin());
        std::uint32_t& next = taken_[first];  // how far the group's front has been taken
        while (lo + next < hi && used[lo[next]]) ++next;
        if (lo + next == hi) return std::nullopt;
        const std::uint32_t found = lo[next++];
        used[found] = true;
        return found;
    }

private:
    const std::vector<LayoutItem>& after_;
    std::vector<std::uint32_t> order_;
    std::vector<std::uint32_t> taken_;
};

bool path_less(const LayoutItem& a, const LayoutItem& b) { return a.key < b.key; }
bool path_range_less(const LayoutItem& a, const LayoutItem& b) {
    return std::tuple(a.key, a.range.begin(), a.range.end()) < std::tuple(b.key, b.range.begin(), b.range.end());
}

}  // namespace

std::vector<LayoutChange> diff_layouts(const Layout& before_layout, const Layout& after_layout) {
    const std::vector<LayoutItem>& before = before_layout.items;
    const std::vector<LayoutItem>& after = after_layout.items;
    // Equal paths pair up in order; identical ranges pair first, so that one inserted region does
    // not shift every later one of the same name. O(n log n) in the two layouts.
    std::vector<bool> used(after.size(), false);
    Groups by_range(after, path_range_less);
    Groups by_path(after, path_less);
    std::vector<const LayoutItem*> unmatched_before;
    for (const auto& item : before)
        if (!by_range.take(item, path_range_less, used)) unmatched_before.push_back(&item);
    std::vector<LayoutChange> changes;
    for (const auto* item : unmatched_before) {
        const auto match = by_path.take(*item, path_less, used);
        if (!match) {
            changes.push_back({LayoutChangeKind::vanished, std::string(before_layout.path(*item)), item->range, std::nullopt, item->line, 0});
            continue;
        }
        const LayoutItem* other = &after[*match];
        const bool same_size = other->range.size() == item->range.size();
        const bool same_start = other->range.begin() == item->range.begin();
        const auto kind = same_size ? LayoutChangeKind::moved : (same_start ? LayoutChangeKind::resized : LayoutChangeKind::changed);
        changes.push_back({kind, std::string(before_layout.path(*item)), item->range, other->range, item->line, other->line});
    }
    for (std::size_t i = 0; i < after.size(); ++i)
        if (!used[i]) changes.push_back({LayoutChangeKind::appeared, std::string(after_layout.path(after[i])), std::nullopt, after[i].range, 0, after[i].line});
    std::stable_sort(changes.begin(), changes.end(), [](const LayoutChange& a, const LayoutChange& b) {
        const auto key = [](const LayoutChange& c) { return (c.before ? c.before : c.after)->begin(); };
        return key(a) < key(b);
    });
    return changes;
}

}  // namespace bootmap
