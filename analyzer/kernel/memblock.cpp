#include "kernel/memblock.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace bootmap {

int max_numnodes(const KernelProfile& profile) { return 1 << profile.effective_nodes_shift(); }

std::uint64_t memblock_region_bytes(const KernelProfile&) { return 24; }

namespace {

std::uint64_t cap_size(std::uint64_t base, std::uint64_t size) { return std::min(size, kPhysAddrMax - base); }
// The kernel's round_down()/round_up() are bit masks (include/linux/math.h): for a power of two they
// are arithmetic rounding, for any other alignment (a reserved-memory "alignment" of 3 MiB) they
// clear or set the bits of align - 1, which is what the kernel's placements follow.
std::uint64_t round_down(std::uint64_t x, std::uint64_t align) { return x & ~(align - 1); }
std::uint64_t round_up(std::uint64_t x, std::uint64_t align) { return ((x - 1) | (align - 1)) + 1; }
std::uint64_t clamp(std::uint64_t x, std::uint64_t lo, std::uint64_t hi) { return std::min(std::max(x, lo), hi); }

}  // namespace

Memblock::Memblock(const KernelProfile& profile) : profile_(profile) {
    memory_.name = "memory";
    reserved_.name = "reserved";
}

// The kernel counts its zero "dummy" entry in an empty array (before 6.11, and so in the 6.1 we model).
static std::size_t cnt(const MemblockType& type) { return std::max<std::size_t>(1, type.regions.size()); }

bool Memblock::add(std::uint64_t base, std::uint64_t size) { return add_range(memory_, base, size, max_numnodes(profile_), 0); }
bool Memblock::add_node(std::uint64_t base, std::uint64_t size, int nid, std::uint32_t flags) {
    return add_range(memory_, base, size, nid, flags);
}
bool Memblock::remove(std::uint64_t base, std::uint64_t size) { return remove_range(memory_, base, size); }
bool Memblock::reserve(std::uint64_t base, std::uint64_t size) { return add_range(reserved_, base, size, max_numnodes(profile_), 0); }
bool Memblock::phys_free(std::uint64_t base, std::uint64_t size) { return remove_range(reserved_, base, size); }
bool Memblock::mark(std::uint64_t base, std::uint64_t size, std::uint32_t flag) { return setclr_flag(base, size, true, flag); }
bool Memblock::clear(std::uint64_t base, std::uint64_t size, std::uint32_t flag) { return setclr_flag(base, size, false, flag); }

bool Memblock::add_range(MemblockType& type, std::uint64_t base, std::uint64_t size_in, int nid, std::uint32_t flags) {
    const std::uint64_t size = cap_size(base, size_in);
    if (size == 0) return true;
    const std::uint64_t end = base + size;
    if (type.regions.empty()) {
        type.regions.push_back({base, size, flags, nid});
        type.total_size = size;
        return true;
    }
    // First count the pieces not covered by existing regions (each keeps the caller's nid and
    // flags; overlapped parts keep the existing region's), grow the array if needed, then insert.
    auto pieces = [&] {
        std::vector<MemblockRegion> out;
        std::uint64_t cursor = base;
        // Regions are sorted and disjoint: the first that can touch [base, end) is found by search.
        const auto from = std::partition_point(type.regions.begin(), type.regions.end(), [&](const MemblockRegion& r) { return r.end() <= base; });
        for (auto it = from; it != type.regions.end(); ++it) {
            const MemblockRegion& r = *it;
            if (r.base >= end) break;
            if (r.end() <= cursor) continue;
            if (r.base > cursor) out.push_back({cursor, r.base - cursor, flags, nid});
            cursor = std::min(r.end(), end);
        }
        if (cursor < end) out.push_back({cursor, end - cursor, flags, nid});
        return out;
    };
    auto fresh = pieces();
    if (fresh.empty()) return true;
    if (cnt(type) * 2 + 1 > type.max) {
        while (cnt(type) + fresh.size() > type.max)
            if (!double_array(type, base, size)) return false;
        fresh = pieces();  // doubling may have reserved memory; recount as the kernel's second pass does
        if (fresh.empty()) return true;
    }
    std::size_t first_inserted = type.regions.size(), last_inserted = 0;
    for (const auto& piece : fresh) {
        auto at = std::lower_bound(type.regions.begin(), type.regions.end(), piece.base,
                                   [](const MemblockRegion& r, std::uint64_t b) { return r.base < b; });
        const auto index = static_cast<std::size_t>(at - type.regions.begin());
        type.regions.insert(at, piece);
        type.total_size += piece.size;
        first_inserted = std::min(first_inserted, index);
        last_inserted = index;  // pieces go in ascending order
    }
    // The array was merged before; only the new pieces and their neighbours can join now.
    merge_regions(type, first_inserted > 0 ? first_inserted - 1 : 0, last_inserted + 1);
    return true;
}

void Memblock::merge_regions(MemblockType& type, std::size_t from, std::size_t to) {
    std::size_t i = from;
    while (i < to && i + 1 < type.regions.size()) {
        auto& a = type.regions[i];
        const auto& b = type.regions[i + 1];
        if (a.end() != b.base || a.nid != b.nid || a.flags != b.flags) {
            ++i;
            continue;
        }
        a.size += b.size;
        type.regions.erase(type.regions.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        --to;
    }
}

void Memblock::remove_region(MemblockType& type, std::size_t index) {
    type.total_size -= type.regions[index].size;
    type.regions.erase(type.regions.begin() + static_cast<std::ptrdiff_t>(index));
}

bool Memblock::double_array(MemblockType& type, std::uint64_t new_area_start, std::uint64_t new_area_size) {
    if (!resize_allowed_) {
        messages_.push_back(fmt::format("memblock: Failed to double {} array from {} to {} entries !", type.name, type.max, type.max * 2));
        return false;
    }
    const std::uint64_t entry = memblock_region_bytes(profile_);
    const std::uint64_t page = 1ull << profile_.page_shift;
    const std::uint64_t old_alloc = round_up(type.max * entry, page);
    const std::uint64_t new_alloc = round_up(type.max * 2 * entry, page);
    // Only a growing reserved array keeps clear of the range being added.
    if (&type != &reserved_) new_area_start = new_area_size = 0;
    std::uint64_t addr = find_in_range_node(new_alloc, page, new_area_start + new_area_size, current_limit_, kNumaNoNode, memblock_flag::none);
    if (!addr && new_area_size)
        addr = find_in_range_node(new_alloc, page, 0, std::min(new_area_start, current_limit_), kNumaNoNode, memblock_flag::none);
    if (!addr) {
        messages_.push_back(fmt::format("memblock: Failed to double {} array from {} to {} entries !", type.name, type.max, type.max * 2));
        return false;
    }
    const auto old_block = type.array_block;
    const bool old_from_memblock = type.array_from_memblock;
    type.max *= 2;
    type.array_from_memblock = true;
    type.array_block = std::make_pair(addr, new_alloc);
    if (old_from_memblock && old_block) phys_free(old_block->first, old_alloc);
    reserve(addr, new_alloc);
    return true;
}

bool Memblock::isolate_range(MemblockType& type, std::uint64_t base, std::uint64_t size_in, std::size_t& start_rgn, std::size_t& end_rgn) {
    start_rgn = end_rgn = 0;
    const std::uint64_t size = cap_size(base, size_in);
    if (size == 0) return true;
    const std::uint64_t end = base + size;
    while (cnt(type) + 2 > type.max)
        if (!double_array(type, base, size)) return false;
    bool found = false;
    const auto first = std::partition_point(type.regions.begin(), type.regions.end(), [&](const MemblockRegion& r) { return r.end() <= base; });
    for (auto idx = static_cast<std::size_t>(first - type.regions.begin()); idx < type.regions.size(); ++idx) {
        MemblockRegion& r = type.regions[idx];
        const std::uint64_t rbase = r.base, rend = r.end();
        if (rbase >= end) break;
        if (rend <= base) continue;
        if (rbase < base) {
            // Crosses the start: split off the part below, process the upper part next.
            MemblockRegion lower{rbase, base - rbase, r.flags, r.nid};
            r.base = base;
            r.size -= base - rbase;
            type.regions.insert(type.regions.begin() + static_cast<std::ptrdiff_t>(idx), lower);
        } else if (rend > end) {
            // Crosses the end: split off the part below the end and look at it again.
            MemblockRegion lower{rbase, end - rbase, r.flags, r.nid};
            r.base = end;
            r.size -= end - rbase;
            type.regions.insert(type.regions.begin() + static_cast<std::ptrdiff_t>(idx), lower);
            --idx;
        } else {
            if (!found) start_rgn = idx;
            found = true;
            end_rgn = idx + 1;
        }
    }
    return true;
}

bool Memblock::remove_range(MemblockType& type, std::uint64_t base, std::uint64_t size) {
    std::size_t start_rgn = 0, end_rgn = 0;
    if (!isolate_range(type, base, size, start_rgn, end_rgn)) return false;
    for (std::size_t i = end_rgn; i > start_rgn; --i) remove_region(type, i - 1);
    return true;
}

bool Memblock::setclr_flag(std::uint64_t base, std::uint64_t size, bool set, std::uint32_t flag) {
    std::size_t start_rgn = 0, end_rgn = 0;
    if (!isolate_range(memory_, base, size, start_rgn, end_rgn)) return false;
    for (std::size_t i = start_rgn; i < end_rgn; ++i) {
        if (set) memory_.regions[i].flags |= flag;
        else memory_.regions[i].flags &= ~flag;
    }
    if (set && flag == memblock_flag::mirror) system_has_mirror_ = true;
    // Only the isolated regions and their neighbours changed (the array was merged before).
    merge_regions(memory_, start_rgn > 0 ? start_rgn - 1 : 0, end_rgn + 1);
    return true;
}

bool Memblock::set_node(std::uint64_t base, std::uint64_t size, int nid) {
    std::size_t start_rgn = 0, end_rgn = 0;
    if (!isolate_range(memory_, base, size, start_rgn, end_rgn)) return false;
    for (std::size_t i = start_rgn; i < end_rgn; ++i) memory_.regions[i].nid = nid;
    merge_regions(memory_, start_rgn > 0 ? start_rgn - 1 : 0, end_rgn + 1);
    return true;
}

void Memblock::trim_memory(std::uint64_t align) {
    for (std::size_t i = 0; i < memory_.regions.size();) {
        auto& r = memory_.regions[i];
        const std::uint64_t start = round_up(r.base, align);
        const std::uint64_t end = round_down(r.end(), align);
        if (start == r.base && end == r.end()) {
            ++i;
            continue;
        }
        if (start < end) {
            memory_.total_size -= r.size - (end - start);
            r.base = start;
            r.size = end - start;
            ++i;
        } else {
            remove_region(memory_, i);
        }
    }
}

std::uint64_t Memblock::find_max_addr(std::uint64_t limit) const {
    for (const auto& r : memory_.regions) {
        if (limit <= r.size) return r.base + limit;
        limit -= r.size;
    }
    return kPhysAddrMax;
}

void Memblock::enforce_memory_limit(std::uint64_t limit) {
    if (!limit) return;
    const std::uint64_t max_addr = find_max_addr(limit);
    if (max_addr == kPhysAddrMax) return;
    remove_range(memory_, max_addr, kPhysAddrMax);
    remove_range(reserved_, max_addr, kPhysAddrMax);
}

void Memblock::cap_memory_range(std::uint64_t base, std::uint64_t size) {
    if (!size || memory_.total_size == 0) return;
    std::size_t start_rgn = 0, end_rgn = 0;
    if (!isolate_range(memory_, base, size, start_rgn, end_rgn)) return;
    // Everything outside the range goes, except no-map memory.
    for (std::size_t i = memory_.regions.size(); i > end_rgn; --i)
        if (!(memory_.regions[i - 1].flags & memblock_flag::nomap)) remove_region(memory_, i - 1);
    for (std::size_t i = start_rgn; i > 0; --i)
        if (!(memory_.regions[i - 1].flags & memblock_flag::nomap)) remove_region(memory_, i - 1);
    remove_range(reserved_, 0, base);
    remove_range(reserved_, base + size, kPhysAddrMax);
}

void Memblock::mem_limit_remove_map(std::uint64_t limit) {
    if (!limit) return;
    const std::uint64_t max_addr = find_max_addr(limit);
    if (max_addr == kPhysAddrMax) return;
    cap_memory_range(0, max_addr);
}

bool Memblock::should_skip(const MemblockRegion& m, int nid, std::uint32_t flags) const {
    if (nid != kNumaNoNode && nid != m.nid) return true;
    if (movable_node_ && (m.flags & memblock_flag::hotplug) && !(flags & memblock_flag::hotplug)) return true;
    if ((flags & memblock_flag::mirror) && !(m.flags & memblock_flag::mirror)) return true;
    if (!(flags & memblock_flag::nomap) && (m.flags & memblock_flag::nomap)) return true;
    if (!(flags & memblock_flag::driver_managed) && (m.flags & memblock_flag::driver_managed)) return true;
    return false;
}

// The free ranges of one memory region are the gaps between reservations that intersect it. The
// gap before reservation k is [end of k-1 (or 0), base of k (or the top)); reservations are sorted
// and disjoint, so a binary search finds the first and last gap that can touch the region.
template <class Visit>
bool Memblock::visit_free_ranges(int nid, std::uint32_t flags, bool reverse, Visit&& visit) const {
    if (nid == max_numnodes(profile_)) nid = kNumaNoNode;  // deprecated "any" (the kernel warns once)
    const auto& rsv = reserved_.regions;
    const std::size_t count = rsv.size();
    auto gap = [&](std::size_t k) {
        return std::pair{k > 0 ? rsv[k - 1].end() : std::uint64_t{0}, k < count ? rsv[k].base : kPhysAddrMax};
    };
    auto emit = [&](const MemblockRegion& m, std::size_t k) {
        const auto [gap_start, gap_end] = gap(k);
        const std::uint64_t s = std::max(m.base, gap_start), e = std::min(m.end(), gap_end);
        return s < e && visit(FreeRange{s, e, m.nid});
    };
    const auto& memory = memory_.regions;
    for (std::size_t i = 0; i < memory.size(); ++i) {
        const MemblockRegion& m = memory[reverse ? memory.size() - 1 - i : i];
        if (should_skip(m, nid, flags)) continue;
        // Gaps first..last (inclusive) are the ones that can intersect m.
        const std::size_t first = static_cast<std::size_t>(
            std::partition_point(rsv.begin(), rsv.end(), [&](const MemblockRegion& r) { return r.end() <= m.base; }) - rsv.begin());
        const std::size_t last = static_cast<std::size_t>(
            std::partition_point(rsv.begin(), rsv.end(), [&](const MemblockRegion& r) { return r.base < m.end(); }) - rsv.begin());
        if (!reverse) {
            for (std::size_t k = first; k <= last; ++k)
                if (emit(m, k)) return true;
        } else {
            for (std::size_t k = last + 1; k-- > first;)
                if (emit(m, k)) return true;
        }
    }
    return false;
}

std::vector<FreeRange> Memblock::free_ranges(int nid, std::uint32_t flags) const {
    std::vector<FreeRange> out;
    visit_free_ranges(nid, flags, false, [&](const FreeRange& r) {
        out.push_back(r);
        return false;
    });
    return out;
}

std::uint64_t Memblock::find_in_range_node(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, int nid,
                                           std::uint32_t flags) const {
    if (end == kAllocAccessible || end == 1) end = current_limit_;  // ACCESSIBLE and NOLEAKTRACE
    const std::uint64_t page = 1ull << profile_.page_shift;
    start = std::max(start, page);  // page 0 is never handed out
    end = std::max(start, end);
    std::uint64_t found = 0;
    // Bottom-up takes the first fit from below, top-down the first from above; both stop there.
    visit_free_ranges(nid, flags, !bottom_up_, [&](const FreeRange& r) {
        const std::uint64_t s = clamp(r.start, start, end), e = clamp(r.end, start, end);
        if (bottom_up_) {
            const std::uint64_t cand = round_up(s, align);
            if (cand < e && e - cand >= size) found = cand;
        } else if (e >= size) {
            const std::uint64_t cand = round_down(e - size, align);
            if (cand >= s) found = cand;
        }
        return found != 0;  // a fit is never 0: the search starts above page 0
    });
    return found;
}

std::uint64_t Memblock::alloc_range_nid(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, int nid, bool exact_nid) {
    std::uint32_t flags = system_has_mirror_ ? memblock_flag::mirror : memblock_flag::none;
    if (nid == max_numnodes(profile_)) nid = kNumaNoNode;
    if (!align) align = 64;  // SMP_CACHE_BYTES, after the kernel's dump_stack()
    for (;;) {
        std::uint64_t found = find_in_range_node(size, align, start, end, nid, flags);
        if (found && reserve(found, size)) return found;
        if (nid != kNumaNoNode && !exact_nid) {
            found = find_in_range_node(size, align, start, end, kNumaNoNode, flags);
            if (found && reserve(found, size)) return found;
        }
        if (!(flags & memblock_flag::mirror)) return 0;
        flags &= ~memblock_flag::mirror;
        messages_.push_back(fmt::format("Could not allocate {:#018x} bytes of mirrored memory", size));
    }
}

std::uint64_t Memblock::phys_alloc_range(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end) {
    return alloc_range_nid(size, align, start, end, kNumaNoNode, false);
}

std::uint64_t Memblock::alloc_try_nid(std::uint64_t size, std::uint64_t align, std::uint64_t min, std::uint64_t max, int nid, bool exact_nid) {
    if (max > current_limit_) max = current_limit_;
    std::uint64_t found = alloc_range_nid(size, align, min, max, nid, exact_nid);
    if (!found && min) found = alloc_range_nid(size, align, 0, max, nid, exact_nid);
    return found;
}

namespace {

// Sorted, disjoint regions: only the first one ending above `base` can be the one that overlaps.
bool any_overlap(const MemblockType& type, std::uint64_t base, std::uint64_t size) {
    const std::uint64_t end = base + cap_size(base, size);
    const auto it = std::partition_point(type.regions.begin(), type.regions.end(), [&](const MemblockRegion& r) { return r.end() <= base; });
    return it != type.regions.end() && it->base < end && base < it->end();
}

}  // namespace

bool Memblock::is_region_reserved(std::uint64_t base, std::uint64_t size) const { return any_overlap(reserved_, base, size); }

bool Memblock::overlaps_memory(std::uint64_t base, std::uint64_t size) const { return any_overlap(memory_, base, size); }

}  // namespace bootmap
