#pragma once
// The one shape of an address range in every JSON bootmap writes: {"start": "0x…", "end": "0x…",
// "size": bytes}, addresses as hex strings and the end inclusive, as the kernel prints ranges
// (/proc/iomem, "[mem 0x…-0x…]", e820 lines).

#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/address.hpp"

namespace bootmap {

nlohmann::json range_json(const AddrRange& range);
// From inclusive bounds as a dump printed them; a broken dump's end below its start gives size 0.
nlohmann::json range_json(std::uint64_t first, std::uint64_t last);
// A range given by its base and size (an e820 entry, a memblock region); size 0 has no end: null.
nlohmann::json range_json_sized(std::uint64_t base, std::uint64_t size);

}  // namespace bootmap
