#pragma once
// What several device-tree rules share: ranges and their printing, where a region is written, and
// how a region sits against the memory nodes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"

namespace bootmap::dt_rule {

std::optional<AddrRange> range_of(std::uint64_t base, std::uint64_t size);
std::string span(std::uint64_t base, std::uint64_t size);
// Every place that wrote the node after its definition: each override.
std::vector<RelatedLocation> override_chain(const DtNode* node);
SourceLocation where_of(const ReservedRegion& r, std::string_view property = "reg");
// The unit address after '@' as a number: "50000000", or "0,50000000" for two cells.
std::optional<std::uint64_t> unit_address(std::string_view name);
bool inside_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end);
bool touches_memory(const FdtBootInfo& info, std::uint64_t base, std::uint64_t end);
// The regions that hold memory (valid, sized, placed when dynamic), by base.
std::vector<const ReservedRegion*> regions_holding_memory(const Arm64Boot& boot);

}  // namespace bootmap::dt_rule
