#include "analysis/rule_catalogue.hpp"

#include <vector>

#include <fmt/format.h>

namespace bootmap {
namespace {

std::vector<RuleInfo> dt_rule_infos() {
    std::vector<RuleInfo> out;
    for (const DtRule* rule : dt_rules()) out.push_back(rule->info);
    return out;
}

std::vector<RuleInfo> all_of(std::span<const RuleInfo> rules) { return {rules.begin(), rules.end()}; }

}  // namespace

std::span<const RuleFamily> rule_families() {
    static const std::vector<RuleFamily> families{
        {"/proc/iomem", all_of(iomem_rules())},
        {"command line: syntax", all_of(cmdline_rules())},
        {"command line: mem= and memmap= against the firmware map", all_of(e820_rules())},
        {"command line: parameters the kernel refuses or ignores", all_of(boot_param_rules())},
        {"crash kernel and CMA", all_of(crashkernel_rules())},
        {"NUMA from the SRAT", all_of(numa_rules())},
        {"device tree and reserved memory", dt_rule_infos()},
        {"DAX kmem", all_of(kmem_rules())},
        {"dmem= (the never-merged 2020 RFC)", all_of(dmem_rules())},
    };
    return families;
}

std::span<const RuleInfo> rule_catalogue() {
    static const std::vector<RuleInfo> all = [] {
        std::vector<RuleInfo> out;
        for (const auto& family : rule_families()) out.insert(out.end(), family.rules.begin(), family.rules.end());
        return out;
    }();
    return all;
}

std::optional<RuleInfo> find_rule(std::string_view id) {
    for (const auto& rule : rule_catalogue())
        if (rule.id == id) return rule;
    return std::nullopt;
}

std::string rule_catalogue_markdown() {
    std::string out;
    for (const auto& family : rule_families()) {
        out += fmt::format("{}**{}**\n\n| rule | severity | fires when |\n|---|---|---|\n", out.empty() ? "" : "\n", family.name);
        for (const auto& rule : family.rules)
            out += fmt::format("| [`{}`](docs/rules/{}.md) | {} | {} |\n", rule.id, rule.id, severity_name(rule.severity), rule.summary);
    }
    return out;
}

std::optional<std::pair<Diagnostic, std::string_view>> boot_stopper(const std::vector<Diagnostic>& found) {
    for (const auto& d : found) {
        if (d.severity != Severity::error) continue;
        if (const auto rule = find_rule(d.rule_id); rule && !rule->stops_boot.empty()) return std::pair{d, rule->stops_boot};
    }
    return std::nullopt;
}

}  // namespace bootmap
