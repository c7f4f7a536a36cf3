#include "core/diagnostic.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

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
    // Keys computed once, an order of indices sorted, then the findings moved along its cycles: no
    // second array of findings (a hundred thousand of them) and no file-name lookup per comparison.
    std::unordered_map<std::string_view, std::size_t> rank;
    for (const auto& d : diagnostics) rank.emplace(d.where.file, rank.size());
    using Key = std::tuple<std::size_t, std::uint32_t, std::uint32_t, std::uint64_t>;
    std::vector<Key> keys;
    keys.reserve(diagnostics.size());
    for (const auto& d : diagnostics) keys.emplace_back(rank.at(d.where.file), d.where.line, d.where.column, d.where.byte_offset.value_or(0));
    if (std::is_sorted(keys.begin(), keys.end())) return;
    std::vector<std::size_t> order(diagnostics.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    // Position i takes the finding at order[i]; follow each cycle once.
    for (std::size_t start = 0; start < order.size(); ++start) {
        if (order[start] == start) continue;
        Diagnostic held = std::move(diagnostics[start]);
        std::size_t at = start;
        while (order[at] != start) {
            const std::size_t from = order[at];
            diagnostics[at] = std::move(diagnostics[from]);
            order[at] = at;
            at = from;
        }
        diagnostics[at] = std::move(held);
        order[at] = at;
    }
}

}  // namespace bootmap
