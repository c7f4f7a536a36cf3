#include "report/json_range.hpp"

#include <fmt/format.h>

namespace bootmap {

nlohmann::json range_json(std::uint64_t first, std::uint64_t last) {
    const std::uint64_t size = last >= first && last - first != UINT64_MAX ? last - first + 1 : 0;
    return {{"start", fmt::format("{:#x}", first)}, {"end", fmt::format("{:#x}", last)}, {"size", size}};
}

nlohmann::json range_json(const AddrRange& range) {
    if (range.empty()) return {{"start", fmt::format("{:#x}", range.begin().value())}, {"end", nullptr}, {"size", 0}};
    return range_json(range.begin().value(), range.last().value());
}

nlohmann::json range_json_sized(std::uint64_t base, std::uint64_t size) {
    if (size == 0) return {{"start", fmt::format("{:#x}", base)}, {"end", nullptr}, {"size", 0}};
    return {{"start", fmt::format("{:#x}", base)}, {"end", fmt::format("{:#x}", base + (size - 1))}, {"size", size}};
}

}  // namespace bootmap
