#pragma once
// hugetlb_cma= (mm/hugetlb.c hugetlb_cma_reserve(), 6.1; arm64 calls it from bootmem_init() right
// after NUMA init, before the default CMA area): one CMA area per node for gigantic pages, split
// across the online nodes or as the per-node list asks, each placed by cma_declare_contiguous_nid();
// cma_activate_area() later gives back an area that spans two zones.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/memblock.hpp"
#include "model/kernel_profile.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct HugetlbCmaArea {
    int nid = 0;
    std::uint64_t size = 0;
    bool reserved = false;
    std::uint64_t base = 0;
    bool activated = false;  // false: it spans a zone boundary, and the kernel frees it at boot
};

struct HugetlbCmaOutcome {
    std::string param;                        // the value as written, for findings
    std::uint64_t requested = 0;              // hugetlb_cma_size as parsed
    std::vector<std::string> dropped;         // the kernel's warnings that drop part or all of the request
    std::vector<HugetlbCmaArea> areas;
};

// The gigantic page a hugetlb CMA area is made of: PUD-sized with 4 KiB pages, CONT_PMD-sized otherwise.
std::uint64_t gigantic_page_size(const KernelProfile& profile);

// nullopt without hugetlb_cma= (or a kernel without CMA). `zone_limits`: the boundaries between zones
// (arm64: the DMA limit, 4 GiB), for the activation check.
std::optional<HugetlbCmaOutcome> hugetlb_cma_reserve(Memblock& mb, const KernelCommandLine* cmdline, const KernelProfile& profile,
                                                     std::vector<std::string>& log);
void cma_activate_hugetlb_areas(HugetlbCmaOutcome& outcome, const std::vector<std::uint64_t>& zone_limits, std::vector<std::string>& log);

}  // namespace bootmap
