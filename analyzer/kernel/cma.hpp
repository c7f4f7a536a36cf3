#pragma once
// The default CMA area (kernel/dma/contiguous.c dma_contiguous_reserve() and mm/cma.c
// cma_declare_contiguous_nid(), 6.1): the size from cma= (or the build's default), rounded to the
// CMA alignment of one pageblock, a movable area tried bottom-up from 4 GiB first, else top-down
// below the limit, and the kernel's messages for each outcome.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grammars/boot_params.hpp"
#include "model/kernel_profile.hpp"
#include "kernel/memblock.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct CmaOutcome {
    bool reserved = false;
    std::uint64_t base = 0;
    std::uint64_t size = 0;  // after rounding up to the CMA alignment
    bool fixed = false;
};

// The last cma= of the command line, if any.
std::optional<grammars::CmaParam> cma_from_cmdline(const KernelCommandLine* cmdline);

// cma_declare_contiguous_nid(): `alignment` is raised to the CMA minimum (a pageblock), `limit` 0 is
// the end of RAM, `nid` kNumaNoNode for any node.
CmaOutcome cma_declare_contiguous_nid(Memblock& mb, std::uint64_t size, std::uint64_t base, std::uint64_t limit, std::uint64_t alignment, bool fixed,
                                      int nid, const KernelProfile& profile, std::vector<std::string>& log);

// The same for the default area: `limit` is the caller's (the architecture's DMA limit, or 0 for
// none) combined with the one cma= gave.
CmaOutcome declare_default_cma(Memblock& mb, std::uint64_t size, std::uint64_t base, std::uint64_t limit, bool fixed, const KernelProfile& profile,
                               std::vector<std::string>& log);

}  // namespace bootmap
