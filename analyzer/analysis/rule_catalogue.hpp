#pragma once
// Every rule bootmap can report. Each rule's ID, severity and summary are written beside its check
// (a family file such as analysis/iomem_checks.cpp, or one file per device-tree rule under
// analysis/dt_rules/); this gathers them. Its page is docs/rules/<id>.md and its fixtures
// fixtures/*/rules/<id>.{fires,clean}.*: tests hold every rule to both.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"

#include "analysis/boot_param_checks.hpp"
#include "analysis/cmdline_checks.hpp"
#include "analysis/crashkernel_checks.hpp"
#include "analysis/dmem_checks.hpp"
#include "analysis/dt_rules/dt_rule.hpp"
#include "analysis/e820_checks.hpp"
#include "analysis/iomem_checks.hpp"
#include "analysis/kmem_audit.hpp"
#include "analysis/numa_checks.hpp"
#include "analysis/rule_info.hpp"

namespace bootmap {

// A family of rules and the part of the machine it judges, for listings.
struct RuleFamily {
    std::string_view name;
    std::vector<RuleInfo> rules;
};

std::span<const RuleFamily> rule_families();
std::span<const RuleInfo> rule_catalogue();
std::optional<RuleInfo> find_rule(std::string_view id);
// The first error-level finding whose rule stops the boot before user space, with what the kernel
// does instead; nullopt when the boot gets there.
std::optional<std::pair<Diagnostic, std::string_view>> boot_stopper(const std::vector<Diagnostic>& found);
// The catalogue as Markdown, a table per family with each ID linked to its page (README's rule
// tables are this text).
std::string rule_catalogue_markdown();

}  // namespace bootmap
