#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// CMA pools must be whole pageblocks; which page sizes refuse the region tells a board what it may run.
void cma_misaligned(const DtRuleContext& c, const ReservedRegion& r, Findings& out) {
    const bool cma_pool = r.node && r.node->compatible_with("shared-dma-pool") && r.reusable && !r.no_map && r.size != 0 && !r.dynamic;
    if (!cma_pool || ((r.base | r.size) & (c.profile.cma_min_alignment() - 1)) == 0) return;
    std::string list;
    for (const auto& [shift, name] : {std::pair{12u, "4K"}, {14u, "16K"}, {16u, "64K"}}) {
        KernelProfile p = c.profile;
        p.page_shift = shift;
        if (((r.base | r.size) & (p.cma_min_alignment() - 1)) != 0)
            list += fmt::format("{}{} pages ({} pageblocks)", list.empty() ? "" : ", ", name, human_size(ByteSize{p.cma_min_alignment()}));
    }
    auto d = make_finding(rules::dt_rmem_cma_misaligned, where_of(r),
                          fmt::format("CMA pool '{}' {} is not pageblock-aligned for {}: 'Reserved memory: incorrect alignment of CMA region'", r.name,
                                      span(r.base, r.size), list),
                          range_of(r.base, r.size));
    d.related = override_chain(r.node);
    out.push_back(std::move(d));
}

}  // namespace

const DtRule& dt_rmem_cma_misaligned_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_cma_misaligned, Severity::error,
                                  "a CMA pool (shared-dma-pool, reusable) whose base or size is not a whole number of pageblocks for the page size"},
                                 .on_region = cma_misaligned};
    return rule;
}

}  // namespace bootmap
