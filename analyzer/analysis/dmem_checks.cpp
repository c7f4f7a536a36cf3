#include "analysis/dmem_checks.hpp"

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {

std::vector<Diagnostic> check_dmem(const KernelCommandLine& cmdline, const DmemOutcome& dmem) {
    std::vector<Diagnostic> out;
    if (dmem.param.size == 0) return out;
    // The last dmem= is the one in effect (a later invalid one would have been ignored).
    SourceLocation where{cmdline.source};
    std::string value;
    for (const auto& p : cmdline.params)
        if (p.value && grammars::param_name_equals(p.name, "dmem")) {
            where = cmdline.locate(p.offset);
            value = *p.value;
        }
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

}  // namespace bootmap
