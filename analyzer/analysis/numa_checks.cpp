#include "analysis/numa_checks.hpp"

#include <array>

#include <fmt/format.h>

#include "analysis/finding.hpp"

namespace bootmap {
namespace {

constexpr std::array<RuleInfo, 1> kRules{{
    {rules::numa_init_failed, Severity::error,
     "NUMA init rejects the SRAT (nodes overlap, RAM no node covers, too many domains): the kernel fakes one node over all of RAM"},
}};

// Where an SRAT entry was read: its line in a boot log, its byte offset in the table.
SourceLocation entry_location(const SratTable& srat, int entry) {
    if (entry < 0 || static_cast<std::size_t>(entry) >= srat.memory.size()) return SourceLocation{srat.source};
    const auto& m = srat.memory[static_cast<std::size_t>(entry)];
    if (m.line) return SourceLocation{srat.source, m.line, 1, std::nullopt};
    return SourceLocation{srat.source, 0, 0, m.offset};
}

std::string ranges_text(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges) {
    constexpr std::size_t kListed = 4;
    std::string out;
    for (std::size_t i = 0; i < ranges.size() && i < kListed; ++i)
        out += fmt::format("{}[mem {:#010x}-{:#010x}]", i ? ", " : "", ranges[i].first, ranges[i].second - 1);
    if (ranges.size() > kListed) out += fmt::format(" and {} more", ranges.size() - kListed);
    return out;
}

}  // namespace

std::span<const RuleInfo> numa_rules() { return kRules; }

std::vector<Diagnostic> check_numa(const SratTable& srat, const NumaSetup& numa, std::uint64_t ram_end) {
    std::vector<Diagnostic> out;
    if (!numa.failure) return out;
    const NumaFailure& f = *numa.failure;
    std::string message = fmt::format("NUMA init rejects this SRAT; the kernel says '{}' and fakes one node, 'Faking a node at [mem {:#018x}-{:#018x}]': "
                                      "every CPU and all memory on node 0, the table's {} proximity domains lost",
                                      f.kernel_line, 0, ram_end - 1, numa.pxm_to_node.size());
    if (!f.uncovered.empty()) message += fmt::format(" (RAM in no node: {})", ranges_text(f.uncovered));
    std::optional<AddrRange> range;
    if (!f.entries.empty()) {
        const auto& first = srat.memory[static_cast<std::size_t>(f.entries.front())];
        range = AddrRange::from_size(PhysAddr{first.base}, ByteSize{first.length});
    }
    // A failure of the whole table points at its first memory entry.
    auto d = make_finding(rules::numa_init_failed, entry_location(srat, f.entries.empty() ? 0 : f.entries.front()), std::move(message), range);
    for (std::size_t i = 1; i < f.entries.size(); ++i) {
        const auto& m = srat.memory[static_cast<std::size_t>(f.entries[i])];
        if (const auto r = AddrRange::from_size(PhysAddr{m.base}, ByteSize{m.length}))
            d.related.push_back({entry_location(srat, f.entries[i]), "the other node's entry", *r});
    }
    out.push_back(std::move(d));
    return out;
}

}  // namespace bootmap
