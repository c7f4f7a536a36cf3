#include "kernel/e820.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace bootmap {

std::uint64_t e820_end_of_ram(const E820Table& table) {
    std::uint64_t end = 0;
    for (const auto& e : table.entries)
        if (e.type == e820_type::ram) end = std::max(end, (e.addr.value() + e.size.bytes()) / 4096 * 4096);
    return end;
}

std::size_t e820_max_entries(const KernelProfile& profile) { return 128 + 3 * (std::size_t{1} << profile.nodes_shift); }

E820Model::E820Model(E820Table table, KernelProfile profile) : table_(std::move(table)), max_entries_(e820_max_entries(profile)) {}

namespace {

// Types the sanitizer never merges with a neighbour of the same type (e820_nomerge()).
bool never_merged(std::uint32_t type) { return type == e820_type::pram || type == e820_type::soft_reserved; }

// The partial-overlap step both __e820__range_update() and e820__range_remove() take: the part of
// `e` inside [start, end) is cut off it (the entry keeps its head or its tail); returns the cut
// part, or nullopt when they do not overlap.
std::optional<std::pair<std::uint64_t, std::uint64_t>> cut_overlap(E820Entry& e, std::uint64_t start, std::uint64_t end) {
    const std::uint64_t final_start = std::max(start, e.addr.value());
    const std::uint64_t final_end = std::min(end, e.addr.value() + e.size.bytes());
    if (final_start >= final_end) return std::nullopt;
    e.size = ByteSize{e.size.bytes() - (final_end - final_start)};
    if (e.addr.value() >= final_start) e.addr = PhysAddr{final_end};
    return std::make_pair(final_start, final_end);
}

// The kernel clamps sizes so that start + size cannot pass the top of the address space.
std::uint64_t clamp_size(PhysAddr start, ByteSize size) { return std::min(size.bytes(), UINT64_MAX - start.value()); }

}  // namespace

bool E820Model::update_table() {
    auto& entries = table_.entries;
    if (entries.size() < 2) return false;
    for (const auto& e : entries)
        if (e.addr.value() + e.size.bytes() < e.addr.value()) return false;

    struct ChangePoint {
        std::uint64_t addr;
        const E820Entry* entry;
        [[nodiscard]] bool is_start() const { return addr == entry->addr.value(); }
    };
    std::vector<ChangePoint> points;
    points.reserve(entries.size() * 2);
    for (const auto& e : entries) {
        if (e.size.bytes() == 0) continue;
        points.push_back({e.addr.value(), &e});
        points.push_back({e.addr.value() + e.size.bytes(), &e});
    }
    // By address; at one address every start comes before every end (cpcompare()).
    std::stable_sort(points.begin(), points.end(), [](const ChangePoint& a, const ChangePoint& b) {
        if (a.addr != b.addr) return a.addr < b.addr;
        return !a.is_start() < !b.is_start();
    });

    std::vector<E820Entry> fresh;
    std::vector<const E820Entry*> covering;
    std::uint32_t last_type = 0;
    std::uint64_t last_addr = 0;
    bool open = false;
    for (const auto& point : points) {
        if (point.is_start()) {
            covering.push_back(point.entry);
        } else {
            auto it = std::find(covering.begin(), covering.end(), point.entry);
            if (it != covering.end()) covering.erase(it);
        }
        std::uint32_t current = 0;
        for (const auto* e : covering) current = std::max(current, e->type);
        if (current == last_type && !never_merged(current)) continue;
        if (open) {
            const std::uint64_t size = point.addr - last_addr;
            if (size != 0) {
                fresh.push_back(E820Entry{PhysAddr{last_addr}, ByteSize{size}, last_type, {}});
                if (fresh.size() >= max_entries_) break;
            }
            open = false;
        }
        if (current != 0) {
            last_addr = point.addr;
            open = true;
        }
        last_type = current;
    }
    entries = std::move(fresh);
    return true;
}

E820Edit E820Model::range_update(PhysAddr start, ByteSize size_in, std::uint32_t old_type, std::uint32_t new_type) {
    const std::uint64_t size = clamp_size(start, size_in);
    const std::uint64_t s = start.value();
    const std::uint64_t end = s + size;
    E820Edit edit{E820Edit::Kind::update, start, PhysAddr{end - 1}, old_type, new_type, true, 0};
    const std::size_t count = table_.entries.size();  // entries appended below are not revisited
    for (std::size_t i = 0; i < count; ++i) {
        E820Entry& e = table_.entries[i];
        if (e.type != old_type) continue;
        const std::uint64_t e_start = e.addr.value();
        const std::uint64_t e_end = e_start + e.size.bytes();
        if (e_start >= s && e_end <= end) {
            e.type = new_type;
            edit.bytes_changed += e.size.bytes();
            continue;
        }
        if (e_start < s && e_end > end) {
            const std::uint32_t kept = e.type;
            e.size = ByteSize{s - e_start};
            range_add(start, ByteSize{size}, new_type);
            range_add(PhysAddr{end}, ByteSize{e_end - end}, kept);
            edit.bytes_changed += size;
            continue;
        }
        auto cut = cut_overlap(e, s, end);
        if (!cut) continue;
        range_add(PhysAddr{cut->first}, ByteSize{cut->second - cut->first}, new_type);  // may move the table: `e` is not used after
        edit.bytes_changed += cut->second - cut->first;
    }
    return edit;
}

E820Edit E820Model::range_remove(PhysAddr start, ByteSize size_in, std::uint32_t old_type, bool check_type) {
    const std::uint64_t size = clamp_size(start, size_in);
    const std::uint64_t s = start.value();
    const std::uint64_t end = s + size;
    E820Edit edit{E820Edit::Kind::remove, start, PhysAddr{end - 1}, old_type, 0, check_type, 0};
    const std::size_t count = table_.entries.size();
    for (std::size_t i = 0; i < count; ++i) {
        E820Entry& e = table_.entries[i];
        if (check_type && e.type != old_type) continue;
        const std::uint64_t e_start = e.addr.value();
        const std::uint64_t e_end = e_start + e.size.bytes();
        if (e.size.bytes() == 0) continue;
        if (e_start >= s && e_end <= end) {
            edit.bytes_changed += e.size.bytes();
            e = E820Entry{PhysAddr{0}, ByteSize{0}, 0, {}};  // the kernel zeroes it; sanitize drops it
            continue;
        }
        if (e_start < s && e_end > end) {
            const std::uint32_t kept = e.type;
            e.size = ByteSize{s - e_start};
            range_add(PhysAddr{end}, ByteSize{e_end - end}, kept);
            edit.bytes_changed += size;
            continue;
        }
        if (auto cut = cut_overlap(e, s, end)) edit.bytes_changed += cut->second - cut->first;
    }
    return edit;
}

E820Edit E820Model::range_add(PhysAddr start, ByteSize size, std::uint32_t type) {
    E820Edit edit{E820Edit::Kind::add, start, PhysAddr{start.value() + size.bytes() - 1}, 0, type, false, size.bytes()};
    if (table_.entries.size() >= max_entries_) {
        edit.kind = E820Edit::Kind::add_ignored;  // "too many entries; ignoring [mem ...]"
        edit.bytes_changed = 0;
        return edit;
    }
    table_.entries.push_back(E820Entry{start, size, type, {}});
    return edit;
}

void E820Model::clear() { table_.entries.clear(); }

void E820Model::trim_bios_range() {
    constexpr std::uint64_t kBiosBegin = 0xa0000;
    constexpr std::uint64_t kBiosEnd = 0x100000;
    range_update(PhysAddr{0}, ByteSize{4096}, e820_type::ram, e820_type::reserved);
    range_remove(PhysAddr{kBiosBegin}, ByteSize{kBiosEnd - kBiosBegin}, e820_type::ram, true);
    update_table();
}

std::vector<AddrRange> e820_ram_buffers(const E820Table& table, std::vector<AddrRange> occupied) {
    constexpr std::uint64_t kMaxResource = ~std::uint64_t{0};
    const auto alignment = [](std::uint64_t pos) -> std::uint64_t {  // ram_alignment()
        const std::uint64_t mb = pos >> 20;
        if (mb == 0) return 64ull << 10;
        if (mb < 16) return 1ull << 20;
        return 64ull << 20;
    };
    std::sort(occupied.begin(), occupied.end(), [](const AddrRange& a, const AddrRange& b) { return a.begin() < b.begin(); });
    std::vector<AddrRange> out;
    for (const auto& e : table.entries) {
        if (e.type != e820_type::ram) continue;
        const std::uint64_t start = e.addr.value() + e.size.bytes();
        const std::uint64_t a = alignment(start);
        if (start > kMaxResource - a) continue;
        const std::uint64_t end = (start + a - 1) / a * a;  // exclusive
        if (start >= end) continue;
        // The parts of [start, end) between the resources already there.
        std::uint64_t cursor = start;
        for (const auto& r : occupied) {
            if (r.end().value() <= cursor) continue;
            if (r.begin().value() >= end) break;
            if (r.begin().value() > cursor) out.push_back(*AddrRange::from_bounds(PhysAddr{cursor}, r.begin()));
            cursor = std::max(cursor, r.end().value());
            if (cursor >= end) break;
        }
        if (cursor < end) out.push_back(*AddrRange::from_bounds(PhysAddr{cursor}, PhysAddr{end}));
        // A buffer is a resource too: the next one splits around it.
        for (std::size_t k = out.size(); k-- > 0 && out[k].begin().value() >= start;) occupied.push_back(out[k]);
        std::sort(occupied.begin(), occupied.end(), [](const AddrRange& x, const AddrRange& y) { return x.begin() < y.begin(); });
    }
    return out;
}

E820Table e820_expand_reserved_to_windows(E820Table table, const std::vector<AddrRange>& windows) {
    for (auto& e : table.entries) {
        if (e.type != e820_type::reserved || e.addr.value() < (1ull << 20)) continue;
        auto range = AddrRange::from_size(e.addr, e.size);
        if (!range) continue;
        for (const auto& w : windows)
            if (w.overlaps(*range) && !(w.begin() <= range->begin() && range->end() <= w.end()))
                range = AddrRange::from_bounds(std::min(range->begin(), w.begin()), std::max(range->end(), w.end()));
        e.addr = range->begin();
        e.size = range->size();
    }
    return table;
}

}  // namespace bootmap
