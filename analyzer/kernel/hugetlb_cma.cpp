#include "kernel/hugetlb_cma.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "grammars/kernel_cmdline.hpp"
#include "grammars/memparse.hpp"
#include "kernel/cma.hpp"

namespace bootmap {
namespace {

struct HugetlbCmaParam {
    std::uint64_t size = 0;
    std::map<int, std::uint64_t> per_node;
};

// cmdline_parse_hugetlb_cma(): "N:SIZE,N:SIZE" per node, else one SIZE; every occurrence is parsed
// into the same variables, in order.
void parse_hugetlb_cma(std::string_view s, HugetlbCmaParam& into, int max_nodes) {
    while (!s.empty()) {
        std::uint64_t number = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
        if (ec != std::errc{}) break;
        const std::size_t count = static_cast<std::size_t>(end - s.data());
        if (count < s.size() && s[count] == ':') {
            if (number >= static_cast<std::uint64_t>(max_nodes)) break;
            s.remove_prefix(count + 1);
            const auto size = grammars::memparse(s);
            into.per_node[static_cast<int>(number)] = size.value;
            into.size += size.value;
            s.remove_prefix(size.consumed);
            if (s.empty() || s.front() != ',') break;
            s.remove_prefix(1);
        } else {
            into.size = grammars::memparse(s).value;
            break;
        }
    }
}

std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

}  // namespace

std::uint64_t gigantic_page_size(const KernelProfile& profile) {
    // PUD_SHIFT with 4 KiB pages; CONT_PMD_SHIFT (PMD_SHIFT + 5 with 16 KiB and 64 KiB pages) otherwise.
    const unsigned pmd_shift = profile.page_shift + (profile.page_shift - 3);
    return profile.page_shift == 12 ? std::uint64_t{1} << 30 : std::uint64_t{1} << (pmd_shift + 5);
}

std::optional<HugetlbCmaOutcome> hugetlb_cma_reserve(Memblock& mb, const KernelCommandLine* cmdline, const KernelProfile& profile,
                                                     std::vector<std::string>& log) {
    if (!cmdline || !profile.has_cma()) return std::nullopt;
    HugetlbCmaOutcome out;
    HugetlbCmaParam param;
    bool given = false;
    for (const auto& p : cmdline->params)
        if (p.value && grammars::param_name_equals(p.name, "hugetlb_cma")) {
            given = true;
            out.param = *p.value;
            parse_hugetlb_cma(*p.value, param, max_numnodes(profile));
        }
    if (!given) return std::nullopt;
    out.requested = param.size;
    if (!param.size) return out;
    std::set<int> online;
    for (const auto& r : mb.memory().regions) online.insert(r.nid);
    const std::uint64_t gigantic = gigantic_page_size(profile);
    bool node_specific = false;
    for (auto& [nid, size] : param.per_node) {
        if (size == 0) continue;
        if (!online.contains(nid)) {
            out.dropped.push_back(fmt::format("hugetlb_cma: invalid node {} specified", nid));
            param.size -= size;
            size = 0;
        } else if (size < gigantic) {
            out.dropped.push_back(fmt::format("hugetlb_cma: cma area of node {} should be at least {} MiB", nid, gigantic >> 20));
            param.size -= size;
            size = 0;
        } else {
            node_specific = true;
        }
    }
    log.insert(log.end(), out.dropped.begin(), out.dropped.end());
    if (!param.size) return out;
    if (param.size < gigantic) {
        out.dropped.push_back(fmt::format("hugetlb_cma: cma area should be at least {} MiB", gigantic >> 20));
        log.push_back(out.dropped.back());
        return out;
    }
    std::uint64_t per_node = 0;
    if (!node_specific) {
        per_node = round_up((param.size + online.size() - 1) / online.size(), gigantic);
        log.push_back(fmt::format("hugetlb_cma: reserve {} MiB, up to {} MiB per node", param.size >> 20, per_node >> 20));
    }
    // Aligned to a PMD huge page, the unit the area can give back (6.1), or to the gigantic page (6.12).
    const std::uint64_t huge_page =
        profile.hugetlb_cma_gigantic_align() ? gigantic : std::uint64_t{1} << (profile.page_shift + (profile.page_shift - 3));
    std::uint64_t reserved = 0;
    for (const int nid : online) {
        std::uint64_t size = 0;
        if (node_specific) {
            const auto it = param.per_node.find(nid);
            if (it == param.per_node.end() || it->second == 0) continue;
            size = it->second;
        } else {
            size = std::min(per_node, param.size - reserved);
        }
        size = round_up(size, gigantic);
        HugetlbCmaArea area{nid, size, false, 0, false};
        const auto placed = cma_declare_contiguous_nid(mb, size, 0, 0, huge_page, false, nid, profile, log);
        if (placed.reserved) {
            area.reserved = true;
            area.base = placed.base;
            area.activated = true;
            reserved += size;
            log.push_back(fmt::format("hugetlb_cma: reserved {} MiB on node {}", size >> 20, nid));
        } else {
            log.push_back(fmt::format("hugetlb_cma: reservation failed: err -12, node {}", nid));
        }
        out.areas.push_back(area);
        if (reserved >= param.size) break;
    }
    return out;
}

void cma_activate_hugetlb_areas(HugetlbCmaOutcome& outcome, const std::vector<std::uint64_t>& zone_limits, std::vector<std::string>& log) {
    for (auto& a : outcome.areas) {
        if (!a.reserved) continue;
        const bool spans = std::any_of(zone_limits.begin(), zone_limits.end(), [&](std::uint64_t l) { return a.base < l && l < a.base + a.size; });
        if (!spans) continue;
        a.activated = false;
        log.push_back(fmt::format("cma: CMA area hugetlb{} could not be activated", a.nid));
    }
}

}  // namespace bootmap
