#include "kernel/dmem.hpp"

#include <fmt/format.h>

namespace bootmap {
namespace {

enum class WalkStep { skip, carved, stop };

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }
std::uint64_t align_down(std::uint64_t x, std::uint64_t a) { return x / a * a; }

class RegionTable {
public:
    RegionTable(std::size_t limit, DmemOutcome& out) : limit_(limit), out_(out) {}
    // dmem_region_register(): the line is printed before the table is checked.
    bool add(int nid, std::uint64_t start, std::uint64_t end) {
        out_.log.push_back(fmt::format("dmem: register region [{:#x} - {:#x}] on node {}.", start, end, nid));
        if (out_.regions.size() >= limit_) {
            out_.log.push_back("dmem: region is not sufficient.");
            out_.table_full = true;
            return false;
        }
        out_.regions.push_back({nid, start, end});
        out_.carved[nid] += end - start;
        return true;
    }

private:
    std::size_t limit_;
    DmemOutcome& out_;
};

// dmem_remove_memblock(): reserve, remove from memory, free; the net effect is the removal.
void take(Memblock& mb, std::uint64_t start, std::uint64_t size) {
    mb.reserve(start, size);
    mb.remove(start, size);
    mb.phys_free(start, size);
}

// What each node is asked for: its free bytes rounded up to the alignment (a quirk of the seed),
// capped by the size, or (with '!') what is left after the kernel's share.
std::map<int, std::uint64_t> per_node_request(const Memblock& mb, const grammars::DmemParam& p, DmemOutcome& out) {
    std::map<int, std::uint64_t> req;
    for (const auto& r : mb.free_ranges(kNumaNoNode, memblock_flag::none)) req[r.nid] += r.end - r.start;
    out.free = req;
    if (mb.movable_node())
        for (const auto& m : mb.memory().regions)
            if (m.flags & memblock_flag::hotplug) out.hotplug_skipped[m.nid] += m.size;
    for (auto& [nid, bytes] : req) {
        const std::uint64_t t = align_up(bytes, p.align);
        bytes = p.resv_kernel ? (t > p.size ? t - p.size : 0) : std::min(p.size, t);
    }
    out.requested = req;
    return req;
}

void report_per_node_shortfall(const std::map<int, std::uint64_t>& req, const grammars::DmemParam& p, DmemOutcome& out) {
    for (const auto& [nid, left] : req) {
        if (!left) continue;
        out.missing[nid] = left;
        out.log.push_back(fmt::format("dmem: {:#x} size of memory is not reserved on node {} due to misaligned regions.", p.size, nid));
    }
}

void report_fixed_shortfall(std::uint64_t size, const grammars::DmemParam& p, DmemOutcome& out) {
    out.missing_fixed = size;
    // The seed prints the remaining size and base + remaining as the end (a quirk).
    out.log.push_back(fmt::format("dmem: {:#x} size of memory is not reserved for dmem due to holes and misaligned regions in [{:#x}, {:#x}].", size,
                                  p.base, p.base + size));
}

// The capacity of memblock's arrays: when a carve makes one double, memblock allocated (and may have
// freed) memory, so the free ranges are no longer the ones being walked.
std::pair<std::size_t, std::size_t> capacities(const Memblock& mb) { return {mb.memory().max, mb.reserved().max}; }

// One walk from the top instead of the seed's restart after every carve. It is the same walk: every
// range above was skipped for a reason a carve cannot undo (its node is satisfied, or it holds no
// aligned block), and what a carve leaves of its own range holds no aligned block its node still
// needs (the carve took the whole aligned part, or satisfied the node), so the restart would skip its
// way down to the next range. Only when a carve makes memblock double an array does memory move
// elsewhere (the new array is allocated, the old one freed); then the walk starts again from the top,
// as the seed's does.
template <class Carve>
void walk_once(Memblock& mb, Carve carve) {
    auto ranges = mb.free_ranges(kNumaNoNode, memblock_flag::none);
    auto caps = capacities(mb);
    std::size_t i = ranges.size();
    while (i > 0) {
        --i;
        const auto verdict = carve(ranges[i]);
        if (verdict == WalkStep::stop) return;
        if (verdict == WalkStep::skip) continue;
        if (capacities(mb) != caps) {
            ranges = mb.free_ranges(kNumaNoNode, memblock_flag::none);
            caps = capacities(mb);
            i = ranges.size();
        }
    }
}

void reserve_per_node(Memblock& mb, const grammars::DmemParam& p, RegionTable& table, DmemOutcome& out) {
    std::map<int, std::uint64_t> req = per_node_request(mb, p, out);
    walk_once(mb, [&](const FreeRange& r) {
        auto need = req.find(r.nid);
        if (need == req.end() || need->second == 0) return WalkStep::skip;
        std::uint64_t s = align_up(r.start, p.align);
        const std::uint64_t e = align_down(r.end, p.align);
        if (s >= e) return WalkStep::skip;
        s = e - std::min(e - s, need->second);
        if (!table.add(r.nid, s, e)) return WalkStep::stop;
        take(mb, s, e - s);
        need->second -= e - s;
        return WalkStep::carved;
    });
    report_per_node_shortfall(req, p, out);
}

void reserve_fixed(Memblock& mb, const grammars::DmemParam& p, RegionTable& table, DmemOutcome& out) {
    const std::uint64_t p_start = p.base, p_end = p.base + p.size;
    std::uint64_t size = p.size;
    walk_once(mb, [&](const FreeRange& r) {
        if (r.start >= p_end || r.end <= p_start) return WalkStep::skip;
        const std::uint64_t s = align_up(std::max(r.start, p_start), p.align), e = align_down(std::min(r.end, p_end), p.align);
        if (s >= e) return WalkStep::skip;
        if (!table.add(r.nid, s, e)) return WalkStep::stop;
        take(mb, s, e - s);
        size -= e - s;
        return size == 0 ? WalkStep::stop : WalkStep::carved;
    });
    if (size != 0) report_fixed_shortfall(size, p, out);
}

// The seed's loops transcribed directly: after every carve, walk the free ranges again from the top.
void reserve_per_node_rewalk(Memblock& mb, const grammars::DmemParam& p, RegionTable& table, DmemOutcome& out) {
    std::map<int, std::uint64_t> req = per_node_request(mb, p, out);
    // Carve the top aligned part of the highest free range of a node that still needs memory,
    // then start the walk again from the top, as the seed does.
    bool stop = false;
    while (!stop) {
        bool carved = false;
        const auto ranges = mb.free_ranges(kNumaNoNode, memblock_flag::none);
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            auto need = req.find(it->nid);
            if (need == req.end() || need->second == 0) continue;
            std::uint64_t s = align_up(it->start, p.align), e = align_down(it->end, p.align);
            if (s >= e) continue;
            s = e - std::min(e - s, need->second);
            if (!table.add(it->nid, s, e)) {
                stop = true;
                break;
            }
            take(mb, s, e - s);
            need->second -= e - s;
            carved = true;
            break;
        }
        if (!carved) break;
    }
    report_per_node_shortfall(req, p, out);
}

void reserve_fixed_rewalk(Memblock& mb, const grammars::DmemParam& p, RegionTable& table, DmemOutcome& out) {
    const std::uint64_t p_start = p.base, p_end = p.base + p.size;
    std::uint64_t size = p.size;
    for (;;) {
        bool carved = false;
        const auto ranges = mb.free_ranges(kNumaNoNode, memblock_flag::none);
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            if (it->start >= p_end || it->end <= p_start) continue;
            const std::uint64_t s = align_up(std::max(it->start, p_start), p.align), e = align_down(std::min(it->end, p_end), p.align);
            if (s >= e) continue;
            if (!table.add(it->nid, s, e)) break;
            take(mb, s, e - s);
            size -= e - s;
            if (size == 0) return;
            carved = true;
            break;
        }
        if (!carved) break;
    }
    report_fixed_shortfall(size, p, out);
}

}  // namespace

std::size_t dmem_region_limit(const KernelProfile& profile) { return (std::size_t{2} << profile.page_shift) / 88; }

namespace {

// dmem_reserve_init(): the table announcement, then the @addr window or the per-node walk.
using Carver = void (*)(Memblock&, const grammars::DmemParam&, RegionTable&, DmemOutcome&);
DmemOutcome run_dmem(Memblock& memblock, const grammars::DmemParam& param, const KernelProfile& profile, Carver fixed, Carver per_node) {
    DmemOutcome out;
    out.param = param;
    out.log.push_back(fmt::format("dmem: pre-defined region: {}", dmem_region_limit(profile)));
    if (param.size == 0) return out;
    RegionTable table(dmem_region_limit(profile), out);
    (param.base ? fixed : per_node)(memblock, param, table, out);
    return out;
}

}  // namespace

DmemOutcome reserve_dmem(Memblock& memblock, const grammars::DmemParam& param, const KernelProfile& profile) {
    return run_dmem(memblock, param, profile, reserve_fixed, reserve_per_node);
}

DmemOutcome reserve_dmem_rewalking(Memblock& memblock, const grammars::DmemParam& param, const KernelProfile& profile) {
    return run_dmem(memblock, param, profile, reserve_fixed_rewalk, reserve_per_node_rewalk);
}

}  // namespace bootmap
