#pragma once
// Reads a /proc/iomem dump into an IomemTree. Structure only: it checks the line syntax and the
// indentation, and rebuilds parent/child links; whether ranges make sense is for the analyses.

#include <string_view>

#include "core/input_error.hpp"
#include "model/iomem.hpp"

namespace bootmap {

// kernel/resource.c r_show() stops indenting at this depth (MAX_IORES_LEVEL): deeper resources are
// printed at this level and their nesting must be recovered from containment.
inline constexpr std::uint32_t kIomemMaxPrintedDepth = 5;

Result<IomemTree> read_iomem(std::string_view source_name, std::string_view text);

}  // namespace bootmap
