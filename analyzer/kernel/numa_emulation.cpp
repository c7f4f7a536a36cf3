#include "kernel/numa_emulation.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "grammars/memparse.hpp"

namespace bootmap {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kMinNode = 32ull << 20;   // FAKE_NODE_MIN_SIZE
constexpr std::uint64_t kDma32End = 1ull << 32;    // MAX_DMA32_PFN << PAGE_SHIFT
constexpr int kMaxNumNodes = 1 << 10;              // Debian's CONFIG_NODES_SHIFT=10
constexpr std::size_t kMaxEmulatedBlocks = 2 * static_cast<std::size_t>(kMaxNumNodes);  // NR_NODE_MEMBLKS

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }

// The C library's strtoul with base 0, as simple_strtoul() reads the count: decimal, 0x hex, 0 octal.
std::uint64_t leading_number(std::string_view spec) {
    const std::string text(spec);
    return std::strtoull(text.c_str(), nullptr, 0);
}

class Emulator {
public:
    Emulator(const std::vector<NumaBlock>& physical, const MemblockType& memory, NumaEmulation& out)
        : pi_(physical), memory_(memory), out_(out) {}

    // Page frames of [start, end) that memblock.memory does not cover, in bytes (mem_hole_size()).
    [[nodiscard]] std::uint64_t hole(std::uint64_t start, std::uint64_t end) const {
        const std::uint64_t first = (start + kPage - 1) / kPage, last = end / kPage;
        if (first >= last) return 0;
        std::uint64_t present = 0;
        for (const auto& r : memory_.regions) {
            const std::uint64_t rs = std::clamp((r.base + kPage - 1) / kPage, first, last);
            const std::uint64_t re = std::clamp((r.base + r.size) / kPage, first, last);
            if (rs < re) present += re - rs;
        }
        return (last - first - present) * kPage;
    }

    // The first physical block of node `nid` still to be cut (emu_find_memblk_by_nid()).
    [[nodiscard]] int find(int nid) const {
        for (std::size_t i = 0; i < pi_.size(); ++i)
            if (pi_[i].nid == nid) return static_cast<int>(i);
        return -1;
    }
    [[nodiscard]] const std::vector<NumaBlock>& remaining() const { return pi_; }

    // Cuts `size` bytes off the front of physical block `index` as emulated node `nid`.
    bool setup(int nid, int index, std::uint64_t size) {
        if (ei_.size() >= kMaxEmulatedBlocks) {
            out_.log.push_back("NUMA: Too many emulated memblks, failing emulation");
            return false;
        }
        NumaBlock& pb = pi_[static_cast<std::size_t>(index)];
        const NumaBlock eb{nid, pb.start, pb.start + size};
        ei_.push_back(eb);
        pb.start += size;
        if (pb.start >= pb.end) pi_.erase(pi_.begin() + index);
        out_.log.push_back(fmt::format("Faking node {} at [mem {:#018x}-{:#018x}] ({}MB)", nid, eb.start, eb.end - 1, (eb.end - eb.start) >> 20));
        return true;
    }

    // split_nodes_interleave(): `count` nodes of equal usable size over the physical nodes.
    bool interleave(std::uint64_t max_addr, std::uint64_t count, std::set<int> phys) {
        if (count == 0) return false;
        if (count > static_cast<std::uint64_t>(kMaxNumNodes)) {
            out_.log.push_back(fmt::format("numa=fake={} too large, reducing to {}", count, kMaxNumNodes));
            count = kMaxNumNodes;
        }
        std::uint64_t size = (max_addr - hole(0, max_addr)) / kPage / count * kPage;
        // The remainders below 32 MiB, pooled, give this many nodes 32 MiB more.
        const std::uint64_t big = (size % kMinNode) * count / kMinNode;
        size -= size % kMinNode;
        if (size == 0) {
            out_.log.push_back("Not enough memory for each node.  NUMA emulation disabled.");
            return false;
        }
        std::int64_t nid = 0;
        return fill(std::move(phys), nid, static_cast<std::int64_t>(count), [&](std::uint64_t start, std::uint64_t limit, std::int64_t id) {
            std::uint64_t end = start + size;
            if (static_cast<std::uint64_t>(id) < big) end += kMinNode;
            while (end - start - hole(start, end) < size) {
                end += kMinNode;
                if (end > limit) {
                    end = limit;
                    break;
                }
            }
            end = extend_for_dma32(end);
            if (end < limit && limit - end - hole(end, limit) < size) end = limit;
            return end;
        });
    }

    // split_nodes_size_interleave_uniform(): nodes of `size` (at least), or with `per_node` set,
    // that many equal nodes of the first remaining physical block. Returns the next node id, or -1.
    std::int64_t sized(std::uint64_t base, std::uint64_t max_addr, std::uint64_t size, std::uint64_t per_node, std::int64_t nid) {
        std::set<int> phys = nodes_;
        const bool uniform = per_node != 0;
        std::uint64_t min_size = 0;
        if (uniform) {
            if (pi_.empty()) return nid;
            phys = {pi_.front().nid};
            min_size = (max_addr / kPage - base / kPage) / per_node * kPage;
            size = min_size;
        } else {
            min_size = (max_addr / kPage - base / kPage - hole(base, max_addr) / kPage) / kMaxNumNodes * kPage;
        }
        min_size = align_up(std::max(min_size, kMinNode), kMinNode);
        if (size < min_size) {
            out_.log.push_back(fmt::format("Fake node size {}MB too small, increasing to {}MB", size >> 20, min_size >> 20));
            size = min_size;
        }
        // No node outgrows the memory: a larger request ends every node at its physical node's end,
        // as this does, without the address arithmetic wrapping.
        size = std::min(size, max_addr);
        size -= size % kMinNode;
        const bool ok = fill(std::move(phys), nid, kMaxNumNodes, [&](std::uint64_t start, std::uint64_t limit, std::int64_t) {
            std::uint64_t end = uniform ? start + size : end_of_node(start, limit, size);
            end = extend_for_dma32(end);
            if (!uniform && end < limit && limit - end - hole(end, limit) < size) end = limit;
            return end;
        });
        return ok ? nid : -1;
    }

    void set_nodes(const std::set<int>& nodes) { nodes_ = nodes; }
    std::vector<NumaBlock> take() { return std::move(ei_); }

private:
    std::vector<NumaBlock> pi_;
    std::vector<NumaBlock> ei_;
    std::set<int> nodes_;
    const MemblockType& memory_;
    NumaEmulation& out_;

    // Round robin over the physical nodes until none has memory left: each turn cuts the next
    // emulated node (numbered modulo `modulo`) off the front of the node's first block, ending where
    // `end_of(start, limit, nid)` says.
    template <typename EndOf>
    bool fill(std::set<int> phys, std::int64_t& nid, std::int64_t modulo, EndOf end_of) {
        while (!phys.empty()) {
            for (auto it = phys.begin(); it != phys.end();) {
                const int index = find(*it);
                if (index < 0) {
                    it = phys.erase(it);
                    continue;
                }
                const std::uint64_t start = pi_[static_cast<std::size_t>(index)].start, limit = pi_[static_cast<std::size_t>(index)].end;
                const std::uint64_t end = end_of(start, limit, nid);
                if (!setup(static_cast<int>(nid++ % modulo), index, std::min(end, limit) - start)) return false;
                ++it;
            }
        }
        return true;
    }

    // A node ending less than 32 MiB of usable memory short of 4 GiB takes the rest of ZONE_DMA32.
    [[nodiscard]] std::uint64_t extend_for_dma32(std::uint64_t end) const {
        if (end < kDma32End && kDma32End - end - hole(end, kDma32End) < kMinNode) return kDma32End;
        return end;
    }

    // find_end_of_node(): grow by 32 MiB until `size` of it is memory, or `max_addr` is reached.
    [[nodiscard]] std::uint64_t end_of_node(std::uint64_t start, std::uint64_t max_addr, std::uint64_t size) const {
        std::uint64_t end = start + size;
        while (end - start - hole(start, end) < size) {
            end += kMinNode;
            if (end > max_addr) return max_addr;
        }
        return end;
    }
};

}  // namespace

NumaEmulation emulate_numa(std::string_view spec, const std::vector<NumaBlock>& physical, const std::set<int>& nodes_parsed,
                           const MemblockType& memory, std::uint64_t max_addr, const NumaLimits& limits) {
    NumaEmulation out;
    Emulator emu(physical, memory, out);
    emu.set_nodes(nodes_parsed);
    bool ok = false;
    if (spec.find('U') != std::string_view::npos) {
        const std::uint64_t per_node = leading_number(spec);
        std::int64_t nid = 0;
        ok = true;
        for (const int phys : nodes_parsed) {
            // Always the first block left: the ones before it were used up.
            const auto& left = emu.remaining();
            const std::uint64_t from = left.empty() ? 0 : left.front().start, to = left.empty() ? 0 : left.front().end;
            const std::int64_t next = per_node == 0 ? -1 : emu.sized(from, to, 0, per_node, nid);
            if (next < 0) {
                ok = false;
                break;
            }
            if (next == nid) continue;
            if (static_cast<std::uint64_t>(next - nid) < per_node) {
                out.log.push_back(fmt::format("numa_emulation: phys: {} only got {} of {} nodes, failing", phys, next - nid, per_node));
                ok = false;
                break;
            }
            nid = next;
        }
    } else if (spec.find('M') != std::string_view::npos || spec.find('G') != std::string_view::npos) {
        const auto size = grammars::memparse(spec);
        ok = emu.sized(0, max_addr, size.value, 0, 0) >= 0;
    } else {
        ok = emu.interleave(max_addr, leading_number(spec), nodes_parsed);
    }
    if (!ok) return out;
    auto blocks = emu.take();
    if (numa_cleanup_meminfo(blocks, memory, limits, out.log)) {
        out.log.push_back("NUMA: Warning: constructed meminfo invalid, disabling emulation");
        return out;
    }
    out.applied = true;
    // Emulation sets every distance, so the table is allocated for the highest emulated node.
    int highest = 0;
    for (const auto& b : blocks) highest = std::max(highest, b.nid);
    out.log.push_back(fmt::format("NUMA: Initialized distance table, cnt={}", highest + 1));
    out.blocks = std::move(blocks);
    return out;
}

}  // namespace bootmap
