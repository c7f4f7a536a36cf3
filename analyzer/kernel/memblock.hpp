#pragma once
// The boot-time memory allocator of mm/memblock.c (6.1): the memory and reserved region arrays with
// their merge and split rules, flag marking, free-range iteration, top-down and bottom-up placement,
// the allocation helpers with their node and lower-bound fallbacks, and array doubling (which
// itself reserves memory, so it changes the layout).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

namespace memblock_flag {
inline constexpr std::uint32_t none = 0x0;
inline constexpr std::uint32_t hotplug = 0x1;
inline constexpr std::uint32_t mirror = 0x2;
inline constexpr std::uint32_t nomap = 0x4;
inline constexpr std::uint32_t driver_managed = 0x8;
}  // namespace memblock_flag

// Node ids as the kernel uses them: NUMA_NO_NODE (-1) means "any", MAX_NUMNODES is what regions
// added without a node carry until NUMA init sets them.
inline constexpr int kNumaNoNode = -1;
int max_numnodes(const KernelProfile& profile);

inline constexpr std::uint64_t kPhysAddrMax = UINT64_MAX;
inline constexpr std::uint64_t kAllocAnywhere = UINT64_MAX;  // MEMBLOCK_ALLOC_ANYWHERE
inline constexpr std::uint64_t kAllocAccessible = 0;         // MEMBLOCK_ALLOC_ACCESSIBLE: up to current_limit

struct MemblockRegion {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::uint32_t flags = 0;
    int nid = 0;

    [[nodiscard]] std::uint64_t end() const { return base + size; }
    bool operator==(const MemblockRegion&) const = default;
};

struct MemblockType {
    std::string name;
    std::vector<MemblockRegion> regions;  // sorted, non-overlapping; empty = the kernel's one zero entry
    std::size_t max = 128;                // capacity of the kernel's array (INIT_MEMBLOCK_REGIONS)
    std::uint64_t total_size = 0;
    bool array_from_memblock = false;     // the array was allocated by doubling (and is itself reserved)
    std::optional<std::pair<std::uint64_t, std::uint64_t>> array_block;  // [base, size) of that allocation
};

// A free range as for_each_free_mem_range yields it: [start, end) on node nid.
struct FreeRange {
    std::uint64_t start;
    std::uint64_t end;
    int nid;
};

class Memblock {
public:
    explicit Memblock(const KernelProfile& profile);

    // Adding and removing (sizes are capped at the top of the address space; size 0 does nothing).
    bool add(std::uint64_t base, std::uint64_t size);  // nid MAX_NUMNODES, no flags
    bool add_node(std::uint64_t base, std::uint64_t size, int nid, std::uint32_t flags = memblock_flag::none);
    bool remove(std::uint64_t base, std::uint64_t size);
    bool reserve(std::uint64_t base, std::uint64_t size);
    bool phys_free(std::uint64_t base, std::uint64_t size);

    bool mark(std::uint64_t base, std::uint64_t size, std::uint32_t flag);
    bool clear(std::uint64_t base, std::uint64_t size, std::uint32_t flag);
    bool set_node(std::uint64_t base, std::uint64_t size, int nid);  // on memory

    void trim_memory(std::uint64_t align);
    void enforce_memory_limit(std::uint64_t limit);
    void mem_limit_remove_map(std::uint64_t limit);

    // Iteration over free memory (memory minus reserved) with should_skip_region()'s rules.
    [[nodiscard]] std::vector<FreeRange> free_ranges(int nid, std::uint32_t flags) const;
    // The same ranges one at a time (in reverse for top-down searches) until `visit` returns true;
    // true when it did.
    template <class Visit>
    bool visit_free_ranges(int nid, std::uint32_t flags, bool reverse, Visit&& visit) const;

    // memblock_find_in_range_node(): 0 when nothing fits.
    [[nodiscard]] std::uint64_t find_in_range_node(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, int nid,
                                                   std::uint32_t flags) const;
    // memblock_alloc_range_nid(): finds and reserves; 0 on failure.
    std::uint64_t alloc_range_nid(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, int nid, bool exact_nid);
    // memblock_phys_alloc_range()
    std::uint64_t phys_alloc_range(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end);
    // memblock_alloc_try_nid() and the _exact_nid_ variant: max capped to current_limit, min dropped on failure.
    std::uint64_t alloc_try_nid(std::uint64_t size, std::uint64_t align, std::uint64_t min, std::uint64_t max, int nid, bool exact_nid = false);

    void set_bottom_up(bool enable) { bottom_up_ = enable; }
    [[nodiscard]] bool bottom_up() const { return bottom_up_; }
    void set_current_limit(std::uint64_t limit) { current_limit_ = limit; }
    [[nodiscard]] std::uint64_t current_limit() const { return current_limit_; }
    void allow_resize() { resize_allowed_ = true; }
    void set_movable_node(bool enabled) { movable_node_ = enabled; }
    [[nodiscard]] bool movable_node() const { return movable_node_; }
    void set_has_mirror(bool has) { system_has_mirror_ = has; }

    [[nodiscard]] const MemblockType& memory() const { return memory_; }
    [[nodiscard]] const MemblockType& reserved() const { return reserved_; }
    [[nodiscard]] std::uint64_t phys_mem_size() const { return memory_.total_size; }
    [[nodiscard]] std::uint64_t start_of_dram() const { return memory_.regions.empty() ? 0 : memory_.regions.front().base; }
    [[nodiscard]] std::uint64_t end_of_dram() const { return memory_.regions.empty() ? 0 : memory_.regions.back().end(); }
    [[nodiscard]] bool is_region_reserved(std::uint64_t base, std::uint64_t size) const;
    [[nodiscard]] bool overlaps_memory(std::uint64_t base, std::uint64_t size) const;  // memblock_overlaps_region(&memory, ...)

    // Messages the model would have printed (array doubling failures, mirror fallbacks).
    [[nodiscard]] const std::vector<std::string>& messages() const { return messages_; }

private:
    bool add_range(MemblockType& type, std::uint64_t base, std::uint64_t size, int nid, std::uint32_t flags);
    bool isolate_range(MemblockType& type, std::uint64_t base, std::uint64_t size, std::size_t& start_rgn, std::size_t& end_rgn);
    bool remove_range(MemblockType& type, std::uint64_t base, std::uint64_t size);
    bool setclr_flag(std::uint64_t base, std::uint64_t size, bool set, std::uint32_t flag);
    bool double_array(MemblockType& type, std::uint64_t new_area_start, std::uint64_t new_area_size);
    // Joins adjacent regions of equal node and flags among pairs (i, i+1) with from <= i < to.
    void merge_regions(MemblockType& type, std::size_t from = 0, std::size_t to = SIZE_MAX);
    void remove_region(MemblockType& type, std::size_t index);
    [[nodiscard]] bool should_skip(const MemblockRegion& region, int nid, std::uint32_t flags) const;
    [[nodiscard]] std::uint64_t find_max_addr(std::uint64_t limit) const;
    void cap_memory_range(std::uint64_t base, std::uint64_t size);

    KernelProfile profile_;
    MemblockType memory_;
    MemblockType reserved_;
    bool bottom_up_ = false;
    std::uint64_t current_limit_ = kAllocAnywhere;
    bool resize_allowed_ = false;
    bool movable_node_ = false;
    bool system_has_mirror_ = false;
    std::vector<std::string> messages_;
};

// sizeof(struct memblock_region) for the profile (base, size, flags, nid): 24 bytes on 64-bit with NUMA.
std::uint64_t memblock_region_bytes(const KernelProfile& profile);

}  // namespace bootmap
