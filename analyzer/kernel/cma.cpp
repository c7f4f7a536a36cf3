#include "kernel/cma.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace bootmap {

std::optional<grammars::CmaParam> cma_from_cmdline(const KernelCommandLine* cmdline) {
    std::optional<grammars::CmaParam> cma;
    if (!cmdline) return cma;
    for (const auto& p : cmdline->params)
        if (p.value && grammars::param_name_equals(p.name, "cma")) cma = grammars::parse_cma(*p.value);  // the last one wins
    return cma;
}

CmaOutcome declare_default_cma(Memblock& mb, std::uint64_t size, std::uint64_t base, std::uint64_t limit, bool fixed, const KernelProfile& profile,
                               std::vector<std::string>& log) {
    return cma_declare_contiguous_nid(mb, size, base, limit, 0, fixed, kNumaNoNode, profile, log);
}

CmaOutcome cma_declare_contiguous_nid(Memblock& mb, std::uint64_t size, std::uint64_t base, std::uint64_t limit, std::uint64_t alignment, bool fixed,
                                      int nid, const KernelProfile& profile, std::vector<std::string>& log) {
    const std::uint64_t end_of_ram = mb.end_of_dram();
    const std::uint64_t align = std::max(alignment, profile.cma_min_alignment());
    CmaOutcome out;
    auto failed = [&](std::string why) {
        if (!why.empty()) log.push_back(std::move(why));
        log.push_back(profile.cma_logs_node() ? fmt::format("cma: Failed to reserve {} MiB on node {}", size >> 20, nid)
                                              : fmt::format("cma: Failed to reserve {} MiB", size >> 20));
        out.size = size;
        return out;
    };
    if (fixed && base % align) return failed(fmt::format("cma: Region at {:#018x} must be aligned to {:#018x} bytes", base, align));
    base = (base + align - 1) / align * align;
    size = (size + align - 1) / align * align;
    limit &= ~(align - 1);
    if (!base) fixed = false;
    if (limit == 0 || limit > end_of_ram) limit = end_of_ram;
    if (fixed && base < end_of_ram && base + size > end_of_ram)
        return failed(fmt::format("cma: Region at {:#018x} defined on low/high memory boundary ({:#018x})", base, end_of_ram));
    if (base + size > limit) return failed(fmt::format("cma: Size ({:#018x}) of region at {:#018x} exceeds limit ({:#018x})", size, base, limit));
    if (fixed) {
        if (mb.is_region_reserved(base, size) || !mb.reserve(base, size)) return failed("");
    } else {
        std::uint64_t addr = 0;
        // A movable area is better kept out of the DMA zones: bottom-up from 4 GiB when RAM reaches there.
        if (!mb.bottom_up() && end_of_ram >= (4ull << 30) + size) {
            mb.set_bottom_up(true);
            addr = mb.alloc_range_nid(size, align, 4ull << 30, limit, nid, true);
            mb.set_bottom_up(false);
        }
        if (!addr) addr = mb.alloc_range_nid(size, align, base, limit, nid, true);
        if (!addr) return failed("");
        base = addr;
    }
    out = CmaOutcome{true, base, size, fixed};
    log.push_back(profile.cma_logs_node() ? fmt::format("cma: Reserved {} MiB at {:#018x} on node {}", size >> 20, base, nid)
                                          : fmt::format("cma: Reserved {} MiB at {:#018x}", size >> 20, base));
    return out;
}

}  // namespace bootmap
