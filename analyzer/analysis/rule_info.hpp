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
    // For a rule whose finding means the boot never reaches user space (where every artifact
    // `predict` prints is read): what the kernel does instead. Empty for the others.
    std::string_view stops_boot{};
};

}  // namespace bootmap
