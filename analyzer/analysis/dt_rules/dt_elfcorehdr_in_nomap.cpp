#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// The crash kernel's view of the old kernel (/chosen linux,elfcorehdr) inside a no-map region: the
// kernel reserves it ("Reserving 64 KiB of memory at ... for elfcorehdr") but never maps it, and
// reading /proc/vmcore's header faults — the 6.1 capture dies in elfcorehdr_read(); 6.12 says
// "Kdump: vmcore not initialized". Either way there is no dump.
void elfcorehdr_in_nomap(const DtRuleContext& c, const FdtReservedNode& child, Findings& out) {
    const auto& core = c.boot.fdt.chosen.elfcorehdr;
    if (!core || core->second == 0 || !child.no_map || !child.available) return;
    for (const auto& [base, size] : child.reg) {
        if (size == 0 || base >= core->first + core->second || core->first >= base + size) continue;
        const DtNode* chosen = c.tree.find("/chosen");
        out.push_back(make_finding(
            rules::dt_elfcorehdr_in_nomap, chosen ? chosen->location_of("linux,elfcorehdr") : child.node->location_of("no-map"),
            fmt::format("the elfcorehdr [{:#x}-{:#x}] lies in no-map region '{}' [{:#x}-{:#x}]: the kernel reserves it but never maps it, so "
                        "reading the crash dump's header faults (Debian's 6.1 panics in elfcorehdr_read; 6.12 says 'Kdump: vmcore not "
                        "initialized'): there is no dump",
                        core->first, core->first + core->second - 1, child.name, base, base + size - 1),
            AddrRange::from_size(PhysAddr{core->first}, ByteSize{core->second})));
        return;
    }
}

}  // namespace

const DtRule& dt_elfcorehdr_in_nomap_rule() {
    static constexpr DtRule rule{.info = {rules::dt_elfcorehdr_in_nomap, Severity::error,
                                  "/chosen's linux,elfcorehdr inside a no-map reserved-memory region: the crash kernel cannot read the dump's header"},
                                 .on_child = elfcorehdr_in_nomap};
    return rule;
}

}  // namespace bootmap
