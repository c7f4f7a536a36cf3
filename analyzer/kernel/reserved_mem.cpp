#include "kernel/reserved_mem.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "kernel/kernel_sort.hpp"

namespace bootmap {
namespace {

constexpr std::string_view kFdt = "OF: fdt: ";
constexpr std::string_view kRmem = "OF: reserved mem: ";

std::string pa(std::uint64_t value) { return fmt::format("0x{:016x}", value); }

// The reserved_mem table in link order: kernel/dma (contiguous, coherent, swiotlb), then drivers.
struct InitEntry {
    std::string_view compatible;
    RmemPool pool;
};
constexpr InitEntry kInitTable[] = {
    {"shared-dma-pool", RmemPool::cma},
    {"shared-dma-pool", RmemPool::dma_coherent},
    {"restricted-dma-pool", RmemPool::restricted_dma},
    {"fsl,qman-fqd", RmemPool::vendor},
    {"fsl,qman-pfdr", RmemPool::vendor},
    {"fsl,bman-fbpr", RmemPool::vendor},
    {"nvidia,tegra210-emc-table", RmemPool::vendor},
};

constexpr int kOk = 0;
constexpr int kENOENT = -2;
constexpr int kENOMEM = -12;
constexpr int kEBUSY = -16;
constexpr int kEINVAL = -22;

class ReservedMem {
public:
    ReservedMem(const FdtBootInfo& info, Memblock& memblock, const KernelProfile& profile, const ReservedMemOptions& options)
        : info_(info), memblock_(memblock), profile_(profile), options_(options) {
        for (std::size_t i = 0; i < info_.reserved_memory.children.size(); ++i) child_index_.emplace(info_.reserved_memory.children[i].node, i);
    }

    // early_init_fdt_scan_reserved_mem(): /memreserve/ first until b41328187629 moved it after the
    // scan and the elfcorehdr (before the dynamic regions of the static-array code, after them in
    // the restructured one); the elfcorehdr after the scan until the arm64 kdump fix (Debian
    // 6.12.64) moved it first.
    ReservedMemResult run() {
        if (!profile_.has(Gate::memreserve_last)) reserve_memreserve();
        if (profile_.has(Gate::elfcorehdr_first)) reserve_elfcorehdr();
        scan();
        reserve_memreserve();
        return std::move(result_);
    }

private:
    void reserve_memreserve() {
        if (memreserve_done_) return;
        memreserve_done_ = true;
        for (const auto& m : info_.memreserve) memblock_.reserve(m.address, m.size);
    }

    void scan() {
        const auto& rm = info_.reserved_memory;
        if (!rm.present) {
            // The restructured code (6.12.13+ in Debian, v6.13 upstream) says so; 6.1 is silent.
            if (profile_.dynamic_reserved_mem_array()) log(kRmem, "Reserved memory: No reserved-memory node in the DT");
            if (!profile_.has(Gate::elfcorehdr_first)) reserve_elfcorehdr();
            return;
        }
        if (!rm.format_ok) {
            // The restructured code says it in the scan and again in the late pass.
            log(reg_prefix(), "Reserved memory: unsupported node format, ignoring");
            if (profile_.dynamic_reserved_mem_array()) log(kRmem, "Reserved memory: unsupported node format, ignoring");
            result_.node_ignored = true;
            if (!profile_.has(Gate::elfcorehdr_first)) reserve_elfcorehdr();
            return;
        }
        if (profile_.dynamic_reserved_mem_array())
            run_restructured();
        else
            run_static_array();
    }

    void log(std::string_view prefix, const std::string& text) { result_.log.push_back(std::string(prefix) + text); }
    // The reg and format messages moved from drivers/of/fdt.c to of_reserved_mem.c with the restructure.
    [[nodiscard]] KernelSortVariant sort_variant() const {
        return profile_.has(Gate::sort_double_pop) ? KernelSortVariant::double_pop : KernelSortVariant::single_pop;
    }
    [[nodiscard]] std::string_view reg_prefix() const { return profile_.dynamic_reserved_mem_array() ? kRmem : kFdt; }

    // 6.1: reserve statics and record everything in tree order, then sort, check overlaps, place
    // the dynamic ones and run the init functions in sorted order.
    void run_static_array() {
        result_.regions.reserve(info_.reserved_memory.children.size());
        std::vector<std::size_t> array;  // the kernel's region array: indices into result_.regions
        for (const auto& child : info_.reserved_memory.children) {
            if (!child.available) continue;
            if (child.has_reg) {
                auto& region = add_region(child, false);
                if (!reserve_static(child, region)) continue;
                if (!region.entries.empty()) save(array, result_.regions.size() - 1, KernelProfile::kMaxReservedRegions);
            } else if (child.has_size) {
                add_region(child, true);
                save(array, result_.regions.size() - 1, KernelProfile::kMaxReservedRegions);
            }
        }
        if (!profile_.has(Gate::elfcorehdr_first)) reserve_elfcorehdr();
        reserve_memreserve();  // before fdt_init_reserved_mem() places the dynamic regions
        if (array.size() >= 2) {
            kernel_heapsort(array, [&](std::size_t a, std::size_t b) { return compare(result_.regions[a], result_.regions[b]); }, sort_variant());
            check_overlaps(array);
        }
        for (const std::size_t index : array) {
            auto& region = result_.regions[index];
            result_.processing_order.push_back(index);
            int err = kOk;
            if (region.size == 0) err = place(region) ? kOk : kENOMEM;
            if (err == kOk) init_region(region, false);
        }
    }

    // 6.12 and later: statics reserved in tree order, dynamics placed (and initialised) in tree order
    // right after; statics initialised late; the overlap check last.
    void run_restructured() {
        result_.regions.reserve(info_.reserved_memory.children.size());
        std::vector<std::size_t> dynamic;
        std::vector<std::size_t> array;
        std::size_t count = 0;
        for (const auto& child : info_.reserved_memory.children) {
            if (!child.available) continue;
            if (child.has_reg) {
                auto& region = add_region(child, false);
                if (reserve_static(child, region)) ++count;
            } else if (child.has_size) {
                auto& region = add_region(child, true);
                // fdt_scan_reserved_mem() keeps the first 64 size-only nodes (the fix that came with
                // the sized array); the others are never allocated.
                if (profile_.has(Gate::rmem_dynamic_array) && dynamic.size() == KernelProfile::kMaxReservedRegions) {
                    const auto line = fmt::format("too many defined dynamic regions, skip '{}'", child.name);
                    region.problems.push_back(line);
                    log(kRmem, line);
                    continue;
                }
                dynamic.push_back(result_.regions.size() - 1);
            }
        }
        for (const std::size_t index : dynamic) {
            auto& region = result_.regions[index];
            result_.processing_order.push_back(index);
            if (!place(region)) continue;
            ++count;
            // Placed regions are saved into the boot-time array of 64 until the real one exists.
            if (save(array, index, KernelProfile::kMaxReservedRegions)) init_region(region, true);
        }
        if (!profile_.has(Gate::elfcorehdr_first)) reserve_elfcorehdr();
        const std::size_t capacity = std::max<std::size_t>(count, array.size());
        // fdt_scan_reserved_mem_reg_nodes(): the late pass over the nodes with reg, in tree order,
        // which repeats the reg complaint and keeps only each node's first range.
        for (std::size_t index = 0; index < result_.regions.size(); ++index) {
            auto& region = result_.regions[index];
            if (region.dynamic) continue;
            if (region.invalid) {
                log(kRmem, fmt::format("Reserved memory: invalid reg property in '{}', skipping node.", region.name));
                continue;
            }
            if (region.entries.size() > 1)
                log(kRmem, fmt::format("fdt_scan_reserved_mem_reg_nodes() ignores {} regions in node '{}'", region.entries.size() - 1, region.name));
            if (region.entries.empty() || region.size == 0) continue;
            result_.processing_order.push_back(index);
            if (save(array, index, capacity)) init_region(region, true);
        }
        if (array.size() >= 2) {
            // __rmem_cmp() of the restructured code breaks ties by the node's offset in the blob:
            // tree order, which is the order the regions were recorded in (until 7.2 dropped it).
            const bool tree_order = !profile_.has(Gate::rmem_ties_unordered);
            kernel_heapsort(array, [&](std::size_t a, std::size_t b) {
                if (const int c = compare(result_.regions[a], result_.regions[b]); c != 0 || !tree_order) return c;
                return a < b ? -1 : (a > b ? 1 : 0);
            }, sort_variant());
            check_overlaps(array);
        }
    }

    ReservedRegion& add_region(const FdtReservedNode& child, bool dynamic) {
        ReservedRegion r;
        r.name = child.name;
        r.path = child.path;
        r.node = child.node;
        r.dynamic = dynamic;
        r.no_map = child.no_map;
        r.reusable = child.reusable;
        result_.regions.push_back(std::move(r));
        return result_.regions.back();
    }

    // fdt_reserved_mem_save_node(): false when the array is full.
    bool save(std::vector<std::size_t>& array, std::size_t index, std::size_t capacity) {
        auto& region = result_.regions[index];
        if (array.size() == capacity) {
            region.dropped_by_limit = true;
            log(kRmem, "not enough space for all defined regions.");
            return false;
        }
        region.saved = true;
        array.push_back(index);
        return true;
    }

    // __reserved_mem_reserve_reg(): false when the node is skipped as invalid.
    bool reserve_static(const FdtReservedNode& child, ReservedRegion& region) {
        if (child.reg_length_invalid) {
            region.invalid = true;
            const auto line = fmt::format("Reserved memory: invalid reg property in '{}', skipping node.", child.name);
            region.problems.push_back(line);
            log(reg_prefix(), line);
            return false;
        }
        bool first = true;
        for (const auto& [base, size] : child.reg) {
            const bool ok = size != 0 && reserve_one(base, size, child.no_map);
            if (!ok) {
                const auto line = fmt::format("Reserved memory: failed to reserve memory for node '{}': base {}, size {} MiB", child.name, pa(base), size >> 20);
                region.problems.push_back(line);
                log(reg_prefix(), line);
            }
            region.entries.push_back({base, size, ok});
            if (first) {
                region.base = base;
                region.size = size;
                first = false;
            }
        }
        return true;
    }

    // early_init_dt_reserve_memory()
    bool reserve_one(std::uint64_t base, std::uint64_t size, bool no_map) {
        if (no_map) {
            // Memory someone already reserved must not become NOMAP; a range outside RAM is harmless.
            if (memblock_.overlaps_memory(base, size) && memblock_.is_region_reserved(base, size)) return false;
            return memblock_.mark(base, size, memblock_flag::nomap);
        }
        return memblock_.reserve(base, size);
    }

    void reserve_elfcorehdr() {
        if (!info_.chosen.elfcorehdr) return;
        const auto [base, size] = *info_.chosen.elfcorehdr;
        if (size == 0) return;
        if (memblock_.is_region_reserved(base, size)) {
            log(kFdt, "elfcorehdr is overlapped");
            return;
        }
        memblock_.reserve(base, size);
        log(kFdt, fmt::format("Reserving {} KiB of memory at 0x{:x} for elfcorehdr", size >> 10, base));
    }

    // __rmem_cmp(): by base, then size.
    static int compare(const ReservedRegion& a, const ReservedRegion& b) {
        if (a.base != b.base) return a.base < b.base ? -1 : 1;
        if (a.size != b.size) return a.size < b.size ? -1 : 1;
        return 0;
    }

    void check_overlaps(const std::vector<std::size_t>& array) {
        for (std::size_t i = 0; i + 1 < array.size(); ++i) {
            const auto& a = result_.regions[array[i]];
            const auto& b = result_.regions[array[i + 1]];
            if (a.base + a.size > b.base) {
                result_.overlaps.emplace_back(array[i], array[i + 1]);
                log(kRmem, "OVERLAP DETECTED!");
                result_.log.push_back(fmt::format("{} ({}--{}) overlaps with {} ({}--{})", a.name, pa(a.base), pa(a.base + a.size), b.name, pa(b.base),
                                                  pa(b.base + b.size)));
            }
        }
    }

    const FdtReservedNode& child_of(const ReservedRegion& region) const {
        const auto it = child_index_.find(region.node);
        // Every region comes from a child; the front is never reached.
        return it == child_index_.end() ? info_.reserved_memory.children.front() : info_.reserved_memory.children[it->second];
    }

    // __reserved_mem_alloc_size(): false when nothing was placed.
    bool place(ReservedRegion& region) {
        const auto& child = child_of(region);
        const auto fail_invalid = [&](const std::string& line) {
            region.invalid = true;
            region.problems.push_back(line);
            log(kRmem, line);
            return false;
        };
        if (child.size_length_invalid) return fail_invalid(fmt::format("invalid size property in '{}' node.", child.name));
        if (!child.size) return false;
        const std::uint64_t size = *child.size;
        region.requested_size = size;
        if (child.alignment_length_invalid) return fail_invalid(fmt::format("invalid alignment property in '{}' node.", child.name));
        std::uint64_t align = child.alignment.value_or(0);
        const bool cma_pool = profile_.has_cma() && has_compatible(child, "shared-dma-pool") && child.reusable && !child.no_map;
        if (cma_pool) align = std::max(align, profile_.cma_min_alignment());
        region.alignment = align == 0 ? profile_.smp_cache_bytes() : align;
        std::uint64_t base = 0;
        if (has_property(child, "alloc-ranges")) {
            if (child.alloc_ranges_invalid) return fail_invalid(fmt::format("invalid alloc-ranges property in '{}', skipping node.", child.name));
            for (const auto& [start, length] : child.alloc_ranges) {
                const std::uint64_t end = start + length;
                region.windows.emplace_back(start, end);
                if (allocate(size, align, start, end, child.no_map, base, true)) break;
            }
        } else {
            region.windows.emplace_back(0, kAllocAnywhere);
            allocate(size, align, 0, 0, child.no_map, base, false);
        }
        if (base == 0) {
            region.placement_failed = true;
            for (const auto& [start, end] : region.windows)
                region.largest_free_when_failed.push_back(
                    largest_free_block(start, end == kAllocAnywhere ? memblock_.end_of_dram() : end, region.alignment));
            const auto line = fmt::format("failed to allocate memory for node '{}': size {} MiB", child.name, size >> 20);
            region.problems.push_back(line);
            log(kRmem, line);
            return false;
        }
        region.base = base;
        region.size = size;
        region.placed = true;
        return true;
    }

    // The largest block of [start, end) that is free now, from an aligned start.
    [[nodiscard]] std::uint64_t largest_free_block(std::uint64_t start, std::uint64_t end, std::uint64_t align) const {
        std::uint64_t best = 0;
        for (const auto& f : memblock_.free_ranges(kNumaNoNode, memblock_flag::none)) {
            const std::uint64_t s = std::max(f.start, start);
            const std::uint64_t e = std::min(f.end, end);
            if (s >= e) continue;
            const std::uint64_t aligned = align ? (s + align - 1) / align * align : s;
            if (aligned < e) best = std::max(best, e - aligned);
        }
        return best;
    }

    static bool has_compatible(const FdtReservedNode& child, std::string_view compat) {
        return child.node && child.node->compatible_with(compat);
    }
    static bool has_property(const FdtReservedNode& child, std::string_view name) { return child.node && child.node->has(name); }

    // early_init_dt_alloc_reserved_memory_arch(), with 6.12's choice of direction inside a window
    // (__reserved_mem_alloc_in_range()) when `in_window`.
    bool allocate(std::uint64_t size, std::uint64_t align, std::uint64_t start, std::uint64_t end, bool no_map, std::uint64_t& base, bool in_window) {
        const bool previous = memblock_.bottom_up();
        bool changed = false;
        if (in_window && profile_.dynamic_reserved_mem_array()) {
            bool bottom_up = false;
            bool top_down = false;
            for (const auto& r : result_.regions) {
                if (!r.saved || r.size == 0) continue;
                if (start >= r.base && start <= r.base + r.size) bottom_up = true;
                if (end >= r.base && end <= r.base + r.size) top_down = true;
            }
            if (bottom_up != top_down) {
                memblock_.set_bottom_up(bottom_up);
                changed = true;
            }
        }
        const std::uint64_t found = memblock_.phys_alloc_range(size, align == 0 ? profile_.smp_cache_bytes() : align, start, end == 0 ? kAllocAnywhere : end);
        if (changed) memblock_.set_bottom_up(previous);
        if (found == 0) return false;
        base = found;
        if (no_map && !memblock_.mark(found, size, memblock_flag::nomap)) {
            memblock_.phys_free(found, size);
            return false;
        }
        return true;
    }

    // __reserved_mem_init_node() and what fdt_init_reserved_mem() does with its answer.
    void init_region(ReservedRegion& region, bool restructured) {
        const auto& child = child_of(region);
        int ret = kENOENT;
        for (const auto& entry : kInitTable) {
            if (!has_compatible(child, entry.compatible)) continue;
            if (entry.pool == RmemPool::cma && !profile_.has_cma()) continue;
            if (entry.pool == RmemPool::restricted_dma && !profile_.has_restricted_dma_pool()) continue;
            ret = run_init(entry.pool, child, region);
            if (ret == kOk) {
                region.initialized_as = std::string(entry.compatible);
                region.pool = entry.pool;
                log(kRmem, fmt::format("initialized node {}, compatible id {}", region.name, entry.compatible));
                break;
            }
        }
        if (ret != kOk && ret != kENOENT) {
            region.init_failed = true;
            log(kRmem, fmt::format("node {} compatible matching fail", region.name));
            if (child.no_map)
                memblock_.clear(region.base, region.size, memblock_flag::nomap);
            else
                memblock_.phys_free(region.base, region.size);
            return;
        }
        if (restructured)
            log(kRmem, fmt::format("{}..{} ({} KiB) {} {} {}", pa(region.base), pa(region.base + region.size - 1), region.size >> 10, child.no_map ? "nomap" : "map",
                                   child.reusable ? "reusable" : "non-reusable", region.name));
    }

    int run_init(RmemPool pool, const FdtReservedNode& child, ReservedRegion& region) {
        switch (pool) {
            case RmemPool::cma: {
                if (options_.cma_on_cmdline && child.cma_default) {
                    region.bypassed = true;
                    result_.log.push_back(fmt::format("Reserved memory: bypass {} node, using cmdline CMA params instead", region.name));
                    return kEBUSY;
                }
                if (!child.reusable || child.no_map) return kEINVAL;
                if (((region.base | region.size) & (profile_.cma_min_alignment() - 1)) != 0) {
                    const std::string line = "Reserved memory: incorrect alignment of CMA region";
                    region.problems.push_back(line);
                    result_.log.push_back(line);
                    return kEINVAL;
                }
                if (region.size == 0 || result_.cma_areas_used == profile_.cma_areas() || !memblock_.is_region_reserved(region.base, region.size)) {
                    const std::string line = "Reserved memory: unable to setup CMA region";
                    region.problems.push_back(line);
                    result_.log.push_back(line);
                    return kEINVAL;
                }
                ++result_.cma_areas_used;
                region.default_cma = child.cma_default;
                result_.log.push_back(fmt::format("Reserved memory: created CMA memory pool at {}, size {} MiB", pa(region.base), region.size >> 20));
                return kOk;
            }
            case RmemPool::dma_coherent:
                if (child.reusable) return kEINVAL;
                if (profile_.arch == Arch::arm && !child.no_map) {
                    const std::string line = "Reserved memory: regions without no-map are not yet supported";
                    region.problems.push_back(line);
                    result_.log.push_back(line);
                    return kEINVAL;
                }
                result_.log.push_back(fmt::format("Reserved memory: created DMA memory pool at {}, size {} MiB", pa(region.base), region.size >> 20));
                return kOk;
            case RmemPool::restricted_dma:
                if (child.reusable || child.cma_default || child.dma_default || child.no_map) return kEINVAL;
                result_.log.push_back(
                    fmt::format("software IO TLB: Reserved memory: created restricted DMA pool at {}, size {} MiB", pa(region.base), region.size >> 20));
                return kOk;
            case RmemPool::vendor:
                return kOk;
            case RmemPool::none:
                break;
        }
        return kENOENT;
    }

    const FdtBootInfo& info_;
    std::unordered_map<const DtNode*, std::size_t> child_index_;  // region -> its child, first of equal nodes
    Memblock& memblock_;
    const KernelProfile& profile_;
    const ReservedMemOptions& options_;
    ReservedMemResult result_;
    bool memreserve_done_ = false;
};

}  // namespace

ReservedMemResult run_reserved_mem(const FdtBootInfo& info, Memblock& memblock, const KernelProfile& profile, const ReservedMemOptions& options) {
    return ReservedMem(info, memblock, profile, options).run();
}

}  // namespace bootmap
