#pragma once
// Gigantic huge pages reserved at boot (mm/hugetlb.c, 6.1): hugepages= after hugepagesz=1G is
// handled while the command line is parsed after setup_arch(), when only memblock exists
// (hugepages_setup() -> hugetlb_hstate_alloc_pages()); each page is one page-sized, page-aligned
// memblock allocation (__alloc_bootmem_huge_page()), top-down, taken round robin over the nodes
// with memory and falling back to any node, or exactly on the node a "N:count" names. What is left
// of 1 GiB-aligned free RAM after setup_arch() and sparse_init() bounds how many succeed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grammars/boot_params.hpp"
#include "kernel/memblock.hpp"
#include "model/machine.hpp"
#include "model/kernel_profile.hpp"

namespace bootmap {

struct GiganticPagesOutcome {
    std::uint64_t page_size = 0;
    std::optional<int> node;  // "hugepages=N:count": that node only
    std::uint64_t requested = 0;
    std::uint64_t allocated = 0;
    std::vector<std::uint64_t> bases;  // where each page landed
};

// The huge page requests of a command line (hugepagesz=, hugepages=, default_hugepagesz= in order),
// for an x86_64 CPU with 1 GiB pages (GBPAGES: every server CPU since 2010, QEMU's -cpu max).
std::vector<grammars::HugepageRequest> hugetlb_requests(const KernelCommandLine& cmdline);

// hugetlb_hstate_alloc_pages() for each request of a page size the buddy allocator cannot give
// (above MAX_ORDER): the pages allocated from `mb`, and the kernel's warning when fewer than asked.
std::vector<GiganticPagesOutcome> alloc_gigantic_boot_pages(Memblock& mb, const std::vector<grammars::HugepageRequest>& requests,
                                                            const KernelProfile& profile, std::vector<std::string>& log);

// string_get_size() as the hugetlb lines print a page size: "1.00 GiB", "2.00 MiB".
std::string hugetlb_size_text(std::uint64_t bytes);

}  // namespace bootmap
