#include "analysis/dmem_checks.hpp"

#include <array>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "kernel/hugetlb_boot.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 4> kRules{{
    {rules::dmem_shortfall, Severity::warning,
     "dmem= reserves less than asked on a node (or in its @addr window); the kernel's own line misstates the amount"},
    {rules::dmem_region_table_full, Severity::error,
     "dmem needs more regions than its table holds (93 with 4 KiB pages): every node stops"},
    {rules::dmem_kernel_share_short, Severity::warning,
     "dmem=!SIZE leaves the kernel less than SIZE on a node"},
    {rules::dmem_starves_boot_reservations, Severity::error,
     "what dmem= takes leaves too little for a later boot reservation that fits without it (crashkernel=, gigantic hugepages=)"},
}};

}  // namespace

std::span<const RuleInfo> dmem_rules() { return kRules; }
namespace {

// The last dmem= is the one in effect (a later invalid one would have been ignored): where it is and
// its value.
std::pair<SourceLocation, std::string> dmem_in_effect(const KernelCommandLine& cmdline) {
    std::pair<SourceLocation, std::string> found{SourceLocation{cmdline.source}, {}};
    for (const auto& p : cmdline.params)
        if (p.value && grammars::param_name_equals(p.name, "dmem")) found = {cmdline.locate(p.offset), *p.value};
    return found;
}

}  // namespace

std::vector<Diagnostic> check_dmem(const KernelCommandLine& cmdline, const DmemOutcome& dmem) {
    std::vector<Diagnostic> out;
    if (dmem.param.size == 0) return out;
    const auto [where, value] = dmem_in_effect(cmdline);
    const std::string what = fmt::format("dmem={}", value);
    if (dmem.table_full)
        out.push_back(make_finding(rules::dmem_region_table_full, where,
                                   fmt::format("{}: the free memory is fragmented into more aligned windows than the {} regions dmem can record; "
                                               "the kernel prints 'dmem: region is not sufficient.' and stops carving on every node",
                                               what, dmem.regions.size())));
    for (const auto& [nid, missing] : dmem.missing) {
        const std::uint64_t asked = dmem.requested.at(nid);
        out.push_back(make_finding(
            rules::dmem_shortfall, where,
            fmt::format("{}: node {} gets {} of the {} it asks for, {} short (free memory {} has no more whole {} windows); the kernel's line "
                        "says {:#x}, the dmem= size, not the shortfall",
                        what, nid, human_size(ByteSize{asked - missing}), human_size(ByteSize{asked}), human_size(ByteSize{missing}),
                        human_size(ByteSize{dmem.free.at(nid)}), human_size(ByteSize{dmem.param.align}), dmem.param.size)));
    }
    for (const auto& [nid, skipped] : dmem.hotplug_skipped) {
        const std::uint64_t got = dmem.carved.count(nid) ? dmem.carved.at(nid) : 0;
        out.push_back(make_finding(
            rules::dmem_shortfall, where,
            fmt::format("{}: {} of node {} is hotpluggable in the SRAT, and movable_node keeps every boot-time reservation off it: dmem's walk "
                        "passes over it, and the node gets {} from the rest{}",
                        what, human_size(ByteSize{skipped}), nid, human_size(ByteSize{got}),
                        got == 0 ? " (the kernel prints nothing for it: the node never asks)" : "")));
    }
    if (dmem.missing_fixed)
        out.push_back(make_finding(rules::dmem_shortfall, where,
                                   fmt::format("{}: {} of the window [{:#x}, {:#x}) cannot be reserved (holes, reservations or alignment); the "
                                               "kernel's line prints the end as {:#x}, which is base + what is missing",
                                               what, human_size(ByteSize{dmem.missing_fixed}), dmem.param.base, dmem.param.base + dmem.param.size,
                                               dmem.param.base + dmem.missing_fixed)));
    if (dmem.param.resv_kernel) {
        for (const auto& [nid, free] : dmem.free) {
            const std::uint64_t kept = free - (dmem.carved.count(nid) ? dmem.carved.at(nid) : 0);
            if (kept >= dmem.param.size) continue;
            out.push_back(make_finding(rules::dmem_kernel_share_short, where,
                                       fmt::format("{}: node {} keeps {} for the kernel, less than the {} asked: the seed rounds the node's free "
                                                   "memory ({}) up to {} before subtracting",
                                                   what, nid, human_size(ByteSize{kept}), human_size(ByteSize{dmem.param.size}), human_size(ByteSize{free}),
                                                   human_size(ByteSize{dmem.param.align}))));
        }
    }
    return out;
}

namespace {

// Whole 1 GiB-aligned free blocks of `size` bytes in memblock's free ranges: where gigantic pages
// can come from.
std::uint64_t aligned_blocks(const Memblock& mb, std::uint64_t size) {
    std::uint64_t n = 0;
    for (const auto& r : mb.free_ranges(kNumaNoNode, memblock_flag::none)) {
        const std::uint64_t s = (r.start + size - 1) / size * size;
        const std::uint64_t e = r.end / size * size;
        if (e > s) n += (e - s) / size;
    }
    return n;
}

}  // namespace

std::vector<Diagnostic> check_dmem_leftovers(const KernelCommandLine& cmdline, const X86Boot& with, const X86Boot& without) {
    std::vector<Diagnostic> out;
    if (!with.dmem || with.dmem->param.size == 0) return out;
    const auto [where, value] = dmem_in_effect(cmdline);
    std::uint64_t carved = 0;
    for (const auto& [nid, bytes] : with.dmem->carved) carved += bytes;
    if (without.crashkernel && without.crashkernel->reserved && !(with.crashkernel && with.crashkernel->reserved))
        out.push_back(make_finding(rules::dmem_starves_boot_reservations, where,
                                   fmt::format("dmem={} takes {}, and crashkernel= ({}) then finds no room: without dmem= it would be reserved at "
                                               "{:#x}; the crash kernel is what is lost",
                                               value, human_size(ByteSize{carved}), human_size(ByteSize{without.crashkernel->size}),
                                               without.crashkernel->base)));
    // hugepages= with 1 GiB pages allocates them from memblock after setup_arch(), from what dmem left.
    constexpr std::uint64_t kGiga = 1ull << 30;
    std::uint64_t wanted = 0;
    for (const auto& r : hugetlb_requests(cmdline)) {
        if (r.page_size < kGiga) continue;
        std::uint64_t pages = r.count;
        for (const auto& [node, count] : r.per_node) pages += count;
        wanted += pages * (r.page_size / kGiga);
    }
    if (wanted) {
        const std::uint64_t after = aligned_blocks(with.memblock, kGiga);
        const std::uint64_t before = aligned_blocks(without.memblock, kGiga);
        if (after < wanted && before > after)
            out.push_back(make_finding(rules::dmem_starves_boot_reservations, where,
                                       fmt::format("dmem={} leaves {} whole 1 GiB blocks free, and hugepages= asks for {} gigantic pages (without "
                                                   "dmem= there are {}): the kernel allocates fewer and says so after boot",
                                                   value, after, wanted, before)));
    }
    return out;
}

}  // namespace bootmap
