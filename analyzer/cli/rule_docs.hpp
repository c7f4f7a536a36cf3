#pragma once
// The rule documentation (docs/rules/RULE.md), compiled into the binary so `bootmap explain` works
// wherever bootmap is installed.

#include <optional>
#include <string_view>

namespace bootmap::cli {

std::optional<std::string_view> rule_doc(std::string_view id);

}  // namespace bootmap::cli
