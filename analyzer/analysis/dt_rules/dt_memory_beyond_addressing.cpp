#include "analysis/dt_rules/dt_rule.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// arm64_memblock_init() removes memory above the physical address size (1 << PHYS_MASK_SHIFT, 48
// bits) without a word: a memory node there is a typo or a corrupt tree.
void memory_beyond_addressing(const DtRuleContext& c, Findings& out) {
    const std::uint64_t limit = c.profile.physmem_end();
    for (const auto& m : c.boot.fdt.memory) {
        if (m.size == 0) continue;
        const std::uint64_t last = m.base + std::min(m.size - 1, UINT64_MAX - m.base);
        if (last < limit) continue;
        const bool all = m.base >= limit;
        out.push_back(make_finding(rules::dt_memory_beyond_addressing, m.where,
                                   fmt::format("{} gives RAM [{:#x}-{:#x}], {} past {:#x} ({}), the end of the physical address space: the "
                                               "kernel removes {} without a message",
                                               m.node, m.base, last, all ? "all of it" : "partly", limit, human_size(ByteSize{limit}),
                                               all ? "it" : fmt::format("[{:#x}-{:#x}]", limit, last)),
                                   AddrRange::from_inclusive(PhysAddr{std::max(m.base, limit)}, PhysAddr{last})));
    }
}

}  // namespace

const DtRule& dt_memory_beyond_addressing_rule() {
    static constexpr DtRule rule{.info = {rules::dt_memory_beyond_addressing, Severity::warning,
                                  "a memory node past the end of the physical address space (arm64: 48 bits): the kernel drops that RAM silently"},
                                 .on_tree = memory_beyond_addressing};
    return rule;
}

}  // namespace bootmap
