#include "kernel/sparse.hpp"

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace bootmap {

void sparse_init_memmap(Memblock& mb, const KernelProfile& profile, std::uint64_t min_addr) {
    const std::uint64_t section = profile.section_size();
    const unsigned shift = profile.page_shift;
    constexpr std::uint64_t kStructPage = 64;
    // section_map_size(): a section's struct pages, rounded up to a PMD (vmemmap maps them with huge pages).
    const std::uint64_t pmd = std::uint64_t{1} << (shift + (shift - 3));
    const std::uint64_t map_size = ((section >> shift) * kStructPage + pmd - 1) / pmd * pmd;
    std::map<int, std::vector<std::pair<std::uint64_t, std::uint64_t>>> by_node;
    for (const auto& r : mb.memory().regions) by_node[r.nid].emplace_back(r.base, r.end());
    for (const auto& [nid, ranges] : by_node) {
        // Present sections, counted from the sorted ranges (a section shared by two ranges once).
        std::uint64_t sections = 0;
        std::optional<std::uint64_t> previous_last;
        for (const auto& [start, end] : ranges) {
            std::uint64_t first = start / section;
            const std::uint64_t last = (end - 1) / section;
            if (previous_last && first == *previous_last) ++first;
            if (first <= last) sections += last - first + 1;
            previous_last = last;
        }
        mb.alloc_try_nid(sections * map_size, map_size, min_addr, kAllocAccessible, nid, true);
    }
}

}  // namespace bootmap
