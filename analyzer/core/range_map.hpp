#pragma once
// A map that gives bytes of the physical address space a label, after bloaty's RangeMap: assigning a
// range overwrites whatever labels it covered, neighbours with equal labels merge, and totals per
// label always add up to the bytes covered. check_invariants() is what tests run after every change.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/address.hpp"

namespace bootmap {

template <class Label>
class RangeMap {
public:
    struct Span {
        AddrRange range;
        Label label;
    };

    void assign(AddrRange range, const Label& label) {
        if (range.empty()) return;
        const std::uint64_t b = range.begin().value();
        const std::uint64_t e = range.end().value();
        split_at(b);
        split_at(e);
        spans_.erase(spans_.lower_bound(b), spans_.lower_bound(e));
        auto it = spans_.emplace(b, Entry{e, label}).first;
        merge_with_next(it);
        if (it != spans_.begin()) merge_with_next(std::prev(it));
    }

    // Builds the map from spans already in address order and disjoint (equal neighbours are joined),
    // in linear time; nullopt when they are not.
    [[nodiscard]] static std::optional<RangeMap> from_sorted(const std::vector<Span>& sorted) {
        RangeMap map;
        for (const auto& span : sorted) {
            if (span.range.empty()) continue;
            const std::uint64_t b = span.range.begin().value(), e = span.range.end().value();
            if (!map.spans_.empty()) {
                auto last = std::prev(map.spans_.end());
                if (last->second.end > b) return std::nullopt;
                if (last->second.end == b && last->second.label == span.label) {
                    last->second.end = e;
                    continue;
                }
            }
            map.spans_.emplace_hint(map.spans_.end(), b, Entry{e, span.label});
        }
        return map;
    }

    [[nodiscard]] std::optional<Label> label_at(PhysAddr addr) const {
        auto it = spans_.upper_bound(addr.value());
        if (it == spans_.begin()) return std::nullopt;
        --it;
        if (addr.value() < it->second.end) return it->second.label;
        return std::nullopt;
    }

    [[nodiscard]] std::vector<Span> spans() const {
        std::vector<Span> out;
        out.reserve(spans_.size());
        for (const auto& [b, entry] : spans_)
            out.push_back(Span{*AddrRange::from_bounds(PhysAddr{b}, PhysAddr{entry.end}), entry.label});
        return out;
    }

    // Unlabelled stretches inside `within`, in address order.
    [[nodiscard]] std::vector<AddrRange> gaps(AddrRange within) const {
        std::vector<AddrRange> out;
        std::uint64_t cursor = within.begin().value();
        for (const auto& [b, entry] : spans_) {
            if (entry.end <= cursor) continue;
            if (b >= within.end().value()) break;
            if (b > cursor) out.push_back(*AddrRange::from_bounds(PhysAddr{cursor}, PhysAddr{b}));
            cursor = std::max(cursor, entry.end);
        }
        if (cursor < within.end().value())
            out.push_back(*AddrRange::from_bounds(PhysAddr{cursor}, within.end()));
        return out;
    }

    [[nodiscard]] std::size_t span_count() const { return spans_.size(); }

    // Empty string when the structure is sound; otherwise what is wrong, for a test to print.
    [[nodiscard]] std::string check_invariants() const {
        std::optional<std::pair<std::uint64_t, const Entry*>> previous;
        for (const auto& [b, entry] : spans_) {
            if (entry.end <= b) return "empty or inverted span at " + std::to_string(b);
            if (previous) {
                if (previous->second->end > b) return "overlapping spans at " + std::to_string(b);
                if (previous->second->end == b && previous->second->label == entry.label)
                    return "adjacent spans with equal labels not merged at " + std::to_string(b);
            }
            previous = std::make_pair(b, &entry);
        }
        return {};
    }

private:
    struct Entry {
        std::uint64_t end;
        Label label;
    };
    using Map = std::map<std::uint64_t, Entry>;

    // Make `at` a span boundary if it falls strictly inside a span.
    void split_at(std::uint64_t at) {
        auto it = spans_.upper_bound(at);
        if (it == spans_.begin()) return;
        --it;
        if (it->first < at && at < it->second.end) {
            Entry tail{it->second.end, it->second.label};
            it->second.end = at;
            spans_.emplace_hint(std::next(it), at, std::move(tail));
        }
    }

    void merge_with_next(typename Map::iterator it) {
        auto next = std::next(it);
        if (next != spans_.end() && it->second.end == next->first && it->second.label == next->second.label) {
            it->second.end = next->second.end;
            spans_.erase(next);
        }
    }

    Map spans_;
};

}  // namespace bootmap
