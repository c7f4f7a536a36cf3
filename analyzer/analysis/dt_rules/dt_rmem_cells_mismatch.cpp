#include "analysis/dt_rules/dt_rule.hpp"

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule_support.hpp"
#include "analysis/finding.hpp"

namespace bootmap {
namespace {

using namespace dt_rule;

// fdt_scan_reserved_mem() refuses the node as a whole; check_device_tree() then walks no region.
void cells_mismatch(const DtRuleContext& c, Findings& out) {
    const auto& rm = c.boot.fdt.reserved_memory;
    if (!rm.present || rm.format_ok) return;
    const DtNode* node = c.tree.find("/reserved-memory");
    out.push_back(make_finding(rules::dt_rmem_cells_mismatch, node ? node->location() : SourceLocation{c.tree.source},
                               fmt::format("/reserved-memory is ignored as a whole ('Reserved memory: unsupported node format, ignoring'): {}; "
                                           "none of its {} regions is reserved",
                                           rm.format_problem, rm.children.size())));
}

}  // namespace

const DtRule& dt_rmem_cells_mismatch_rule() {
    static constexpr DtRule rule{.info = {rules::dt_rmem_cells_mismatch, Severity::error,
                                  "/reserved-memory cells differ from the root's or ranges is missing: the kernel ignores every region"},
                                 .on_tree = cells_mismatch};
    return rule;
}

}  // namespace bootmap
