#include "kernel/hugetlb_boot.hpp"

#include <set>

#include <fmt/format.h>

namespace bootmap {

std::string hugetlb_size_text(std::uint64_t bytes) {
    constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned unit = 0;
    while (unit < 4 && bytes >= 1024 && bytes % 1024 == 0) {
        bytes /= 1024;
        ++unit;
    }
    return fmt::format("{}.00 {}", bytes, kUnits[unit]);
}

std::vector<grammars::HugepageRequest> hugetlb_requests(const KernelCommandLine& cmdline) {
    std::vector<grammars::NamedValue> hugetlb;
    for (std::size_t i = 0; i < cmdline.params.size(); ++i) {
        const auto& p = cmdline.params[i];
        if (!p.value) continue;
        for (const char* name : {"hugepagesz", "hugepages", "default_hugepagesz"})
            if (grammars::param_name_equals(p.name, name)) hugetlb.push_back({i, name, *p.value});
    }
    return grammars::parse_hugetlb(hugetlb, grammars::hugepage_sizes_x86_64(true)).requests;
}

std::vector<GiganticPagesOutcome> alloc_gigantic_boot_pages(Memblock& mb, const std::vector<grammars::HugepageRequest>& requests,
                                                            const KernelProfile& profile, std::vector<std::string>& log) {
    // MAX_ORDER 11: the buddy allocator gives at most 4 MiB (4 KiB pages); larger pages come from memblock.
    const std::uint64_t buddy_max = std::uint64_t{1} << (profile.page_shift + 10);
    std::set<int> nodes;
    for (const auto& r : mb.memory().regions) nodes.insert(r.nid);
    std::vector<GiganticPagesOutcome> out;
    for (const auto& request : requests) {
        if (request.page_size <= buddy_max) continue;
        const std::string size_text = hugetlb_size_text(request.page_size);
        if (!request.per_node.empty()) {
            // hugetlb_hstate_alloc_pages_onenode(): exactly on the node.
            for (const auto& [nid, count] : request.per_node) {
                GiganticPagesOutcome o{request.page_size, nid, count, 0, {}};
                for (std::uint64_t i = 0; i < count; ++i) {
                    const std::uint64_t base = mb.alloc_try_nid(request.page_size, request.page_size, 0, kAllocAccessible, nid, true);
                    if (!base) break;
                    o.bases.push_back(base);
                    ++o.allocated;
                }
                if (o.allocated < count)
                    log.push_back(fmt::format("HugeTLB: allocating {} of page size {} failed node{}.  Only allocated {} hugepages.", count, size_text, nid,
                                              o.allocated));
                out.push_back(std::move(o));
            }
            continue;
        }
        GiganticPagesOutcome o{request.page_size, std::nullopt, request.count, 0, {}};
        auto next = nodes.begin();
        for (std::uint64_t i = 0; i < request.count; ++i) {
            // Round robin over the nodes with memory; each try falls back to any node.
            std::uint64_t base = 0;
            for (std::size_t tried = 0; tried < nodes.size() && !base; ++tried) {
                if (next == nodes.end()) next = nodes.begin();
                base = mb.alloc_try_nid(request.page_size, request.page_size, 0, kAllocAccessible, *next++, false);
            }
            if (!base) break;
            o.bases.push_back(base);
            ++o.allocated;
        }
        if (o.allocated < o.requested)
            log.push_back(fmt::format("HugeTLB: allocating {} of page size {} failed.  Only allocated {} hugepages.", o.requested, size_text, o.allocated));
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace bootmap
