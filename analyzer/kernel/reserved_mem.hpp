#pragma once
// The device-tree reserved-memory code (drivers/of/fdt.c and of_reserved_mem.c, with the init
// functions of kernel/dma/contiguous.c, coherent.c and swiotlb.c) run against a memblock state: the
// /memreserve/ block, static regions reserved or made NOMAP in tree order, the region array with its
// 64-entry limit, the sort and overlap check, dynamic placement (heapsort order in 6.1, tree order
// from 6.12) and each compatible's setup, with the exact lines the kernel logs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/fdt_scan.hpp"
#include "model/kernel_profile.hpp"
#include "kernel/memblock.hpp"

namespace bootmap {

enum class RmemPool { none, cma, dma_coherent, restricted_dma, vendor };

struct ReservedRegion {
    std::string name;  // as the kernel prints it (with the unit address)
    std::string path;
    const DtNode* node = nullptr;
    bool dynamic = false;
    bool no_map = false;
    bool reusable = false;
    std::uint64_t base = 0;  // first reg entry, or where the region was placed
    std::uint64_t size = 0;
    // Every reg entry the kernel tried, and whether memblock took it.
    struct Entry {
        std::uint64_t base;
        std::uint64_t size;
        bool reserved;
    };
    std::vector<Entry> entries;
    bool saved = false;             // it got a slot in the region array
    bool dropped_by_limit = false;  // "not enough space for all defined regions."
    bool placed = false;            // dynamic: memory was allocated
    bool placement_failed = false;
    bool invalid = false;           // a property the kernel refused (size, alignment, alloc-ranges, reg)
    std::uint64_t alignment = 0;    // dynamic: the alignment used
    std::uint64_t requested_size = 0;  // dynamic: the size property
    std::vector<std::pair<std::uint64_t, std::uint64_t>> windows;  // dynamic: [start, end) tried in order
    // dynamic, placement failed: per window, the largest free aligned block memblock had at that
    // moment (later reservations, the default CMA area among them, do not count).
    std::vector<std::uint64_t> largest_free_when_failed;
    std::optional<std::string> initialized_as;  // the compatible id whose init succeeded
    bool init_failed = false;                   // "compatible matching fail": memory given back
    RmemPool pool = RmemPool::none;
    bool default_cma = false;  // became dma_contiguous_default_area
    bool bypassed = false;     // linux,cma-default skipped for cma=
    std::vector<std::string> problems;  // the kernel's lines about this region
    // Whether the memory stays out of the page allocator after boot.
    [[nodiscard]] bool holds_memory() const { return (placed || !dynamic) && !init_failed && !invalid; }
};

struct ReservedMemOptions {
    bool cma_on_cmdline = false;  // cma= given: linux,cma-default pools are bypassed
};

struct ReservedMemResult {
    std::vector<ReservedRegion> regions;         // tree order (available children with reg or size)
    std::vector<std::size_t> processing_order;   // indices in the order regions were initialised
    std::vector<std::pair<std::size_t, std::size_t>> overlaps;  // reported pairs (indices)
    std::vector<std::string> log;                // the kernel's lines in order, with their prefixes
    bool node_ignored = false;                   // "unsupported node format"
    std::size_t cma_areas_used = 0;
};

ReservedMemResult run_reserved_mem(const FdtBootInfo& info, Memblock& memblock, const KernelProfile& profile, const ReservedMemOptions& options);

}  // namespace bootmap
