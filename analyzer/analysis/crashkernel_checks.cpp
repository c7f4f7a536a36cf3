#include "analysis/crashkernel_checks.hpp"

#include <array>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 8> kRules{{
    {rules::crashkernel_invalid, Severity::warning,
     "a crashkernel= value the kernel refuses, with its warning; nothing is reserved"},
    {rules::crashkernel_zero_size, Severity::warning,
     "a crashkernel= range list that selects no size for this machine's RAM: nothing is reserved"},
    {rules::crashkernel_failed, Severity::error,
     "the crash kernel reservation fails on this memory map: kdump will not work"},
    {rules::crashkernel_offset_unaligned, Severity::error,
     "crashkernel=size@offset with an offset the allocator cannot return: the reservation always fails with 'memory is in use'"},
    {rules::cma_failed, Severity::error,
     "the cma= area cannot be reserved on this memory map (too large for its window, misaligned, in use)"},
    {rules::hugetlb_cma_failed, Severity::error,
     "a hugetlb_cma= area the kernel cannot reserve, or reserves across a zone boundary and then gives back: no gigantic pages come from it"},
    {rules::arm64_mem_counts_nomap, Severity::warning,
     "arm64 mem= counts no-map memory too: the no-map regions below the limit (UEFI runtime and MMIO regions) leave that much less RAM"},
    {rules::hugepages_gigantic_short, Severity::error,
     "hugepages= asks for more 1 GiB pages than the RAM left after setup_arch() and the memmap holds whole: the kernel allocates fewer"},
}};

}  // namespace

std::span<const RuleInfo> crashkernel_rules() { return kRules; }
namespace {

// The last `name=` of the command line: the one the kernel acts on.
const grammars::CmdlineParam* last_param(const KernelCommandLine& cmdline, std::string_view name) {
    const grammars::CmdlineParam* param = nullptr;
    for (const auto& p : cmdline.params)
        if (p.value && grammars::param_name_equals(p.name, name)) param = &p;
    return param;
}

// The kernel's lines that start with `prefix`, quoted.
std::string quoted_lines(const std::vector<std::string>& log, std::string_view prefix) {
    std::string said;
    for (const auto& line : log)
        if (line.starts_with(prefix)) said += (said.empty() ? "'" : "', '") + line;
    return said.empty() ? said : said + "'";
}

void check_cma(const KernelCommandLine& cmdline, const std::optional<CmaOutcome>& cma, const std::vector<std::string>& log, std::vector<Diagnostic>& out) {
    if (!cma || cma->reserved) return;
    if (const auto* param = last_param(cmdline, "cma"))
        out.push_back(make_finding(rules::cma_failed, cmdline.locate(param->offset),
                                   fmt::format("cma={}: the CMA area cannot be reserved on this memory map; the kernel says {}", *param->value,
                                               quoted_lines(log, "cma: "))));
}

// hugetlb_cma=: each node's area either placed and activated, or a finding in the kernel's words.
void check_hugetlb_cma(const KernelCommandLine& cmdline, const Arm64Boot& boot, std::vector<Diagnostic>& out) {
    const auto* param = last_param(cmdline, "hugetlb_cma");
    if (!boot.hugetlb_cma || !param) return;
    for (const auto& a : boot.hugetlb_cma->areas) {
        if (!a.reserved) {
            out.push_back(make_finding(rules::hugetlb_cma_failed, cmdline.locate(param->value_offset),
                                       fmt::format("hugetlb_cma={}: the {} area for node {} cannot be reserved on this memory map; the kernel says "
                                                   "'hugetlb_cma: reservation failed: err -12, node {}'",
                                                   *param->value, human_size(ByteSize{a.size}), a.nid, a.nid)));
        } else if (!a.activated) {
            const auto range = AddrRange::from_size(PhysAddr{a.base}, ByteSize{a.size});
            out.push_back(make_finding(rules::hugetlb_cma_failed, cmdline.locate(param->value_offset),
                                       fmt::format("hugetlb_cma={}: the {} area for node {} is placed at {}, across a zone boundary (the DMA zone "
                                                   "ends at {:#x}); the kernel says 'cma: CMA area hugetlb{} could not be activated' and frees it: no "
                                                   "gigantic page can come from it, and the default CMA area was pushed below it",
                                                   *param->value, human_size(ByteSize{a.size}), a.nid, range ? mem_range(*range) : std::string("?"),
                                                   boot.dma_phys_limit, a.nid),
                                       range));
        }
    }
}

}  // namespace

std::vector<Diagnostic> check_arm64_placements(const KernelCommandLine& cmdline, const Arm64Boot& boot) {
    std::vector<Diagnostic> out;
    check_cma(cmdline, boot.cma, boot.log, out);
    check_hugetlb_cma(cmdline, boot, out);
    if (boot.mem_limit && boot.mem_limit->nomap_below)
        if (const auto* param = last_param(cmdline, "mem")) {
            const auto& m = *boot.mem_limit;
            out.push_back(make_finding(rules::arm64_mem_counts_nomap, cmdline.locate(param->value_offset),
                                       fmt::format("mem={}: the limit counts the {} of no-map memory below it (firmware and MMIO regions the kernel "
                                                   "never uses as RAM), so RAM ends at {:#x} with {} of it, not {}",
                                                   *param->value, human_size(ByteSize{m.nomap_below}), m.end,
                                                   human_size(ByteSize{m.requested > m.nomap_below ? m.requested - m.nomap_below : 0}),
                                                   human_size(ByteSize{m.requested}))));
        }
    if (boot.crashkernel && !boot.crashkernel->reserved) {
        const auto* param = last_param(cmdline, "crashkernel");
        if (param)
            out.push_back(make_finding(rules::crashkernel_failed, cmdline.locate(param->value_offset),
                                       fmt::format("crashkernel={}: the reservation fails ({}): no free 2 MiB-aligned block of that size is left "
                                                   "below the ZONE_DMA limit",
                                                   *param->value, quoted_lines(boot.log, "cannot allocate crashkernel"))));
    }
    return out;
}

// hugepages= of gigantic pages: fewer allocated than asked, in the kernel's words, at the
// hugepages= that asked (the last one for the page size).
void check_gigantic_pages(const KernelCommandLine& cmdline, const X86Boot& boot, std::vector<Diagnostic>& out) {
    const auto* param = last_param(cmdline, "hugepages");
    if (!param) return;
    for (const auto& g : boot.gigantic_pages) {
        if (g.allocated >= g.requested) continue;
        const std::string size = hugetlb_size_text(g.page_size);
        const std::string said = g.node ? fmt::format("HugeTLB: allocating {} of page size {} failed node{}.  Only allocated {} hugepages.", g.requested,
                                                      size, *g.node, g.allocated)
                                        : fmt::format("HugeTLB: allocating {} of page size {} failed.  Only allocated {} hugepages.", g.requested, size,
                                                      g.allocated);
        out.push_back(make_finding(rules::hugepages_gigantic_short, cmdline.locate(param->value_offset),
                                   fmt::format("hugepages={}: {} pages of {} asked{}, {} allocated: the RAM left whole after setup_arch() and the memmap "
                                               "(which takes the top of each node) holds no more; the kernel says '{}'",
                                               *param->value, g.requested, human_size(ByteSize{g.page_size}), g.node ? fmt::format(" on node {}", *g.node) : "",
                                               g.allocated, said)));
    }
}

std::vector<Diagnostic> check_crashkernel(const KernelCommandLine& cmdline, const X86Boot& boot) {
    std::vector<Diagnostic> out;
    check_cma(cmdline, boot.cma, boot.log, out);
    check_gigantic_pages(cmdline, boot, out);
    if (!boot.crashkernel) return out;
    const auto& ck = *boot.crashkernel;
    const auto& s = ck.setting;
    const std::string value = cmdline.text.substr(s.value_offset, cmdline.text.find(' ', s.value_offset) - s.value_offset);
    if (!s.valid) {
        out.push_back(make_finding(rules::crashkernel_invalid, cmdline.locate(s.error_offset),
                           fmt::format("crashkernel={}: the kernel says \"{}\" and reserves nothing", value, s.warning)));
        return out;
    }
    if (s.zero_from_ranges) {
        out.push_back(make_finding(rules::crashkernel_zero_size, cmdline.locate(s.value_offset),
                           fmt::format("crashkernel={}: no range matches this machine's {} of RAM (rounded up to 128 MiB), so the kernel reserves "
                                       "nothing ('crashkernel size resulted in zero bytes')",
                                       value, human_size(ByteSize{boot.memblock.phys_mem_size()}))));
        return out;
    }
    if (ck.reserved) return out;
    // crashkernel=0 asks for nothing: reserve_crashkernel() returns without a word.
    if (s.size == 0) return out;
    // x86_64 6.1 asks memblock for the fixed range with 1 MiB alignment: any other offset can never be returned.
    if (s.base && s.base % (1ull << 20) != 0) {
        out.push_back(make_finding(rules::crashkernel_offset_unaligned, cmdline.locate(s.value_offset),
                           fmt::format("crashkernel={}: the offset {:#x} is not 1 MiB aligned, so the fixed reservation can never succeed; the "
                                       "kernel reports 'crashkernel reservation failed - memory is in use.'",
                                       value, s.base)));
        return out;
    }
    const bool wraps = s.base && s.base + s.size < s.base;
    std::string why = wraps ? fmt::format("{} at {:#x} would end past the top of the 64-bit address space", human_size(ByteSize{s.size}), s.base)
                      : s.base ? fmt::format("[mem {:#010x}-{:#010x}] is not free RAM (the kernel image, the first MiB or another reservation "
                                             "is there, or no RAM)",
                                             s.base, s.base + s.size - 1)
                               : fmt::format("no free {} block aligned to 16 MiB is left below {}", human_size(ByteSize{s.size}),
                                             ck.high ? "64 TiB" : "4 GiB or above it");
    // The kernel's own words for this failure (a later line of the log may be about something else).
    std::string quoted = quoted_lines(boot.log, "crashkernel reservation failed");
    if (quoted.empty()) quoted = quoted_lines(boot.log, "Cannot reserve");
    const std::string said = quoted.empty() ? std::string() : " (" + quoted + ")";
    out.push_back(make_finding(rules::crashkernel_failed, cmdline.locate(s.value_offset),
                       fmt::format("crashkernel={}: the reservation fails{}: {}", value, said, why)));
    return out;
}

}  // namespace bootmap
