#include "core/diagnostic.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace bootmap {

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::note: return "note";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "error";
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void sort_by_location(std::vector<Diagnostic>& diagnostics) {
    std::unordered_map<std::string, std::size_t> rank;  // owned keys: sorting moves the strings
    for (const auto& d : diagnostics) rank.emplace(d.where.file, rank.size());
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        const auto key = [&](const Diagnostic& d) { return std::tuple(rank.at(d.where.file), d.where.line, d.where.column, d.where.byte_offset.value_or(0)); };
        return key(a) < key(b);
    });
}

}  // namespace bootmap
