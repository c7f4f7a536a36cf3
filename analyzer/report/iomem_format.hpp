#pragma once
// Prints a resource tree exactly as the kernel prints /proc/iomem (kernel/resource.c r_show()).

#include <string>

#include "model/iomem.hpp"

namespace bootmap {

std::string format_iomem(const IomemTree& tree);

}  // namespace bootmap
