#pragma once
// Device-DAX devices as `daxctl list -M` lists them: each device's name, mode and the physical
// ranges it maps, with where in the listing it was written.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/source_location.hpp"

namespace bootmap {

struct DaxDeviceListing {
    std::string name;  // "dax0.0"
    std::string mode;  // "devdax" or "system-ram"
    std::vector<AddrRange> mappings;
    std::optional<std::int64_t> target_node;
    std::optional<std::uint64_t> online_blocks;  // system-ram: "online_memblocks"
    std::optional<std::uint64_t> total_blocks;   // system-ram: "total_memblocks"
    SourceLocation where;
};

struct DaxListing {
    std::string source;
    std::vector<DaxDeviceListing> devices;
};

}  // namespace bootmap
