#pragma once
// The memory map picture: an SVG of the address space (address axis top to bottom, NUMA nodes as a
// band, the layout lanes, findings marked), and a self-contained HTML page embedding it with a
// linear/log scale toggle and hover details. Draws a MemoryMap; computes nothing about memory.

#include <string>

#include "analysis/memory_map.hpp"

namespace bootmap {

enum class MapScale {
    log,     // each stretch between two boundaries gets a height growing with the log of its size: 4 KiB stays visible next to 1 TiB
    linear,  // heights proportional to size: the true proportions
};

std::string render_map_svg(const MemoryMap& map, MapScale scale);
std::string render_map_html(const MemoryMap& map, MapScale scale);

}  // namespace bootmap
