#pragma once
// Building a finding for a catalogued rule: the severity comes from the catalogue, never from the
// place that found it.

#include <optional>
#include <string>
#include <string_view>

#include "analysis/rule_catalogue.hpp"
#include "core/diagnostic.hpp"

namespace bootmap {

inline Diagnostic make_finding(std::string_view rule, SourceLocation where, std::string message, std::optional<AddrRange> range = std::nullopt) {
    Diagnostic d;
    d.rule_id = std::string(rule);
    d.severity = find_rule(rule)->severity;
    d.message = std::move(message);
    d.where = std::move(where);
    d.range = range;
    return d;
}

}  // namespace bootmap
