#pragma once
// The kernel's zone blocks: "Zone ranges:", "Movable zone start for each node", "Early memory node ranges".

#include <string>

#include "kernel/zones.hpp"

namespace bootmap {

std::string format_zones(const ZoneLayout& layout);

}  // namespace bootmap
