#include "analysis/layout_diff.hpp"

#include <algorithm>
#include <unordered_map>

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

std::vector<LayoutItem> layout_items(const IomemTree& tree) {
    std::vector<LayoutItem> items;
    const std::size_t n = tree.entries.size();
    std::vector<PathKey> keys(n);
    std::vector<std::uint32_t> depth(n, 0);
    // For a deep entry, its ancestor kShownHead names down, whose path is shown in full.
    std::vector<std::size_t> head(n, 0);
    std::vector<std::string> shown(n);
    for (std::size_t i = 0; i < n; ++i) {
        const IomemEntry& e = tree.entries[i];
        const std::size_t p = e.parent.value_or(i);
        keys[i] = extend(e.parent ? keys[p] : kRootKey, e.name);
        depth[i] = e.parent ? depth[p] + 1 : 0;
        head[i] = depth[i] + 1 == kShownHead ? i : (e.parent ? head[p] : i);
        if (depth[i] < kShownHead + kShownTail + 1) {
            shown[i] = e.parent ? shown[p] + "/" + e.name : e.name;
        } else {
            // The last kShownTail names, nearest the root first.
            std::vector<const std::string*> tail{&e.name};
            for (std::size_t up = p; tail.size() < kShownTail; up = *tree.entries[up].parent) tail.push_back(&tree.entries[up].name);
            shown[i] = shown[head[i]];
            shown[i] += "/…";
            for (auto it = tail.rbegin(); it != tail.rend(); ++it) {
                shown[i] += '/';
                shown[i] += **it;
            }
        }
        if (const auto range = e.range()) items.push_back({keys[i], shown[i], *range, e.line});
    }
    return items;
}

std::vector<LayoutItem> predicted_layout_items(const IomemTree& tree) {
    static constexpr std::string_view kE820Names[] = {"System RAM",         "Reserved",      "ACPI Tables",      "ACPI Non-volatile Storage",
                                                      "Unusable memory",    "Persistent Memory (legacy)", "Persistent Memory", "Soft Reserved",
                                                      "Unknown E820 type"};
    std::vector<LayoutItem> items;
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
        items.push_back({key_of(path), path, *range, e.line});
    }
    return items;
}

void keep_predictable_reservations(const std::vector<LayoutItem>& predicted, std::vector<LayoutItem>& real) {
    const auto is_reservation = [](const LayoutItem& i) { return i.path == "System RAM/reserved"; };
    std::vector<AddrRange> placed;
    for (const auto& p : predicted)
        if (is_reservation(p)) placed.push_back(p.range);
    std::vector<LayoutItem> kept;
    kept.reserve(real.size());
    for (auto& r : real) {
        if (!is_reservation(r)) {
            kept.push_back(std::move(r));
            continue;
        }
        std::vector<AddrRange> inside;
        bool partly = false;
        for (const auto& p : placed)
            if (p.overlaps(r.range)) (r.range.contains(p) ? inside : (partly = true, inside)).push_back(p);
        if (inside.empty()) continue;  // the kernel's own allocation alone
        if (partly) {
            kept.push_back(std::move(r));  // a reservation elsewhere than predicted
            continue;
        }
        // memblock joined the predicted reservations with allocations of the kernel's own next to
        // them into one entry: each predicted one is there.
        for (const auto& p : inside) kept.push_back({r.key, r.path, p, r.line});
    }
    real = std::move(kept);
}

std::vector<LayoutItem> layout_items(const E820Table& table) {
    std::vector<LayoutItem> items;
    for (const auto& e : table.entries)
        if (const auto range = AddrRange::from_bounds(e.addr, e.end()); range && e.end() >= e.addr) {
            const std::string name(e820_type_name(e.type));
            items.push_back({extend(kRootKey, name), name, *range, e.where.line});
        }
    return items;
}

std::vector<LayoutItem> layout_items(const X86Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile) {
    const unsigned page_shift = 12;
    const auto zones = x86_zone_layout(boot.memblock.memory(), e820_end_of_ram(boot.e820.final_map) >> page_shift, cmdline, profile);
    auto items = layout_items(boot.e820.invalid_user_map ? boot.e820.final_map : boot.e820.resource_map);
    const auto add = [&](std::string path, std::uint64_t base, std::uint64_t size) {
        const auto range = AddrRange::from_size(PhysAddr{base}, ByteSize{size});
        if (!range || range->empty()) return;
        items.push_back({key_of(path), std::move(path), *range, 0});
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

struct KeyHash {
    std::size_t operator()(const PathKey& k) const { return static_cast<std::size_t>(k[0] ^ (k[1] << 1)); }
};
struct KeyRangeHash {
    std::size_t operator()(const std::pair<PathKey, AddrRange>& k) const {
        return KeyHash{}(k.first) ^ static_cast<std::size_t>(k.second.begin().value() * 0x9e3779b97f4a7c15ull) ^
               static_cast<std::size_t>(k.second.end().value());
    }
};

// The unused items of one path, in file order, taken from the front.
struct Candidates {
    std::vector<std::size_t> items;
    std::size_t next = 0;
};

}  // namespace

std::vector<LayoutChange> diff_layouts(const std::vector<LayoutItem>& before, const std::vector<LayoutItem>& after) {
    // Equal paths pair up in order; identical ranges pair first, so that one inserted region does
    // not shift every later one of the same name. Linear in the two layouts.
    std::vector<bool> used(after.size(), false);
    std::unordered_map<std::pair<PathKey, AddrRange>, Candidates, KeyRangeHash> by_range;
    std::unordered_map<PathKey, Candidates, KeyHash> by_path;
    for (std::size_t i = 0; i < after.size(); ++i) {
        by_range[{after[i].key, after[i].range}].items.push_back(i);
        by_path[after[i].key].items.push_back(i);
    }
    const auto take = [&](Candidates& c) -> std::optional<std::size_t> {
        while (c.next < c.items.size() && used[c.items[c.next]]) ++c.next;
        if (c.next == c.items.size()) return std::nullopt;
        used[c.items[c.next]] = true;
        return c.items[c.next++];
    };
    std::vector<const LayoutItem*> unmatched_before;
    for (const auto& item : before) {
        const auto same = by_range.find({item.key, item.range});
        if (same == by_range.end() || !take(same->second)) unmatched_before.push_back(&item);
    }
    std::vector<LayoutChange> changes;
    for (const auto* item : unmatched_before) {
        const auto candidates = by_path.find(item->key);
        const auto match = candidates == by_path.end() ? std::nullopt : take(candidates->second);
        if (!match) {
            changes.push_back({LayoutChangeKind::vanished, item->path, item->range, std::nullopt, item->line, 0});
            continue;
        }
        const LayoutItem* other = &after[*match];
        const bool same_size = other->range.size() == item->range.size();
        const bool same_start = other->range.begin() == item->range.begin();
        const auto kind = same_size ? LayoutChangeKind::moved : (same_start ? LayoutChangeKind::resized : LayoutChangeKind::changed);
        changes.push_back({kind, item->path, item->range, other->range, item->line, other->line});
    }
    for (std::size_t i = 0; i < after.size(); ++i)
        if (!used[i]) changes.push_back({LayoutChangeKind::appeared, after[i].path, std::nullopt, after[i].range, 0, after[i].line});
    std::stable_sort(changes.begin(), changes.end(), [](const LayoutChange& a, const LayoutChange& b) {
        const auto key = [](const LayoutChange& c) { return (c.before ? c.before : c.after)->begin(); };
        return key(a) < key(b);
    });
    return changes;
}

}  // namespace bootmap
