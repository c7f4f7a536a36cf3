#include "analysis/dt_rules/dt_rule_support.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

namespace bootmap::dt_rule {

std::optional<AddrRange> range_of(std::uint64_t base, std::uint64_t size) {
    if (size == 0 || base + size < base) return std::nullopt;
    return AddrRange::from_inclusive(PhysAddr{base}, PhysAddr{base + size - 1});
}

std::string span(std::uint64_t base, std::uint64_t size) { return fmt::format("[{:#x}-{:#x}]", base, base + size - 1); }

std::vector<RelatedLocation> override_chain(const DtNode* node) {
    std::vector<RelatedLocation> out;
    if (!node) return out;
    for (std::size_t i = 1; i < node->where.size(); ++i) out.push_back({node->where[i], "changed here", std::nullopt});
    return out;
}

SourceLocation where_of(const ReservedRegion& r, std::string_view property) {
    if (!r.node) return {};
    return r.node->location_of(property);
}

std::optional<std::uint64_t> unit_address(std::string_view name) {
    const auto at = name.find('@');
    if (at == std::string_view::npos) return std::nullopt;
    std::uint64_t value = 0;
    std::string_view rest = name.substr(at + 1);
    if (rest.empty()) return std::nullopt;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string part(rest.substr(0, comma));
        char* end = nullptr;
        const auto v = std::strtoull(part.c_str(), &end, 16);
        if (part.empty() || *end != '\0') return std::nullopt;
        value = (value << 32) | v;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return value;
}

bool inside_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end) {
    // Memory nodes may be split in several ranges that touch: walk them in order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& m : info.memory) ranges.emplace_back(m.base, m.base + m.size);
    std::sort(ranges.begin(), ranges.end());
    std::uint64_t covered = base;
    for (const auto& [s, e] : ranges) {
        if (s > covered) continue;
        if (e > covered) covered = e;
        if (covered >= end) return true;
    }
    return covered >= end;
}

bool touches_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end) {
    return std::any_of(info.memory.begin(), info.memory.end(), [&](const FdtMemoryRange& m) { return m.base < end && base < m.base + m.size; });
}

std::vector<const ReservedRegion*> regions_holding_memory(const Arm64Boot& boot) {
    std::vector<const ReservedRegion*> holding;
    for (const auto& r : boot.rmem.regions)
        if (!r.invalid && r.size != 0 && (!r.dynamic || r.placed)) holding.push_back(&r);
    std::sort(holding.begin(), holding.end(), [](const auto* a, const auto* b) { return a->base < b->base; });
    return holding;
}

}  // namespace bootmap::dt_rule
