#include "analysis/dt_checks.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <cstdlib>

#include <fmt/format.h>

#include "analysis/dt_rules/dt_rule.hpp"

namespace bootmap {
namespace {

// Each finding points at a node or one of its properties; name that node, so reports can give the
// node path (a SARIF logical location) and fingerprints tell apart nodes that share a range.
void name_subjects(const DeviceTree& tree, std::vector<Diagnostic>& findings) {
    // The places the findings without a subject point at; the tree is walked for those only (a
    // tree has tens of thousands of nodes and properties, a lint a handful of findings).
    using Key = std::tuple<std::string_view, std::uint32_t, std::uint32_t, std::optional<std::uint64_t>>;
    const auto key = [](const SourceLocation& at) { return Key{at.file, at.line, at.column, at.byte_offset}; };
    std::map<Key, std::vector<Diagnostic*>> wanted;
    for (auto& d : findings)
        if (d.subject.empty() && !d.where.file.empty()) wanted[key(d.where)].push_back(&d);
    if (wanted.empty()) return;
    const auto claim = [&](const SourceLocation& at, const std::string& path) {
        const auto it = wanted.find(key(at));
        if (it == wanted.end()) return;
        for (Diagnostic* d : it->second) d->subject = path;
        wanted.erase(it);  // the first owner in tree order names it
    };
    const auto visit = [&](const auto& self, const DtNode& node) -> void {
        if (wanted.empty()) return;
        if (!node.where.empty()) claim(node.where.front(), node.path);
        for (const auto& prop : node.properties)
            if (!prop.where.empty() || prop.blob_offset >= 0) claim(node.location_of(prop), node.path);
        for (const auto& child : node.children) self(self, child);
    };
    visit(visit, tree.root);
}

}  // namespace

// One walk over the boot replay; each rule (analysis/dt_rules/) takes the hooks it needs, in the
// registry's order, so findings come out tree first, then node by node, region by region, then pairs.
std::vector<Diagnostic> check_device_tree(const DeviceTree& tree, const Arm64Boot& boot, const Arm64Boot* other, const KernelProfile& profile,
                                          bool static_only) {
    const DtRuleContext context{tree, boot, other, profile, !static_only && !boot.fdt.memory.empty(), static_only};
    Findings out;
    for (const DtRule* rule : dt_rules())
        if (rule->on_tree) rule->on_tree(context, out);
    // The kernel ignores a /reserved-memory of the wrong format as a whole: no region to judge.
    if (const auto& rm = boot.fdt.reserved_memory; !rm.present || rm.format_ok) {
        for (const auto& child : rm.children) {
            if (!child.available || !child.node) continue;
            for (const DtRule* rule : dt_rules())
                if (rule->on_child) rule->on_child(context, child, out);
        }
        for (const auto& region : boot.rmem.regions)
            for (const DtRule* rule : dt_rules())
                if (rule->on_region) rule->on_region(context, region, out);
        for (const DtRule* rule : dt_rules())
            if (rule->after_walk) rule->after_walk(context, out);
    }
    name_subjects(tree, out);
    return out;
}

}  // namespace bootmap
