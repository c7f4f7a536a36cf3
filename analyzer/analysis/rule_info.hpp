#pragma once
// A rule as the catalogue lists it: its stable ID (users suppress and grep by it), default severity
// and one-line summary. Its page is docs/rules/<id>.md. Each rule's entry is written beside its
// check; analysis/rule_catalogue.cpp only gathers the families.

#include <string_view>

#include "core/diagnostic.hpp"

namespace bootmap {

struct RuleInfo {
    std::string_view id;
    Severity severity;
    std::string_view summary;
};

}  // namespace bootmap
