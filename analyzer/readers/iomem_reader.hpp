#pragma once
// Reads a /proc/iomem dump into an IomemTree. Structure only: it checks the line syntax and the
// indentation, and rebuilds parent/child links; whether ranges make sense is for the analyses.

#include <string_view>

#include "core/input_error.hpp"
#include "model/iomem.hpp"

namespace bootmap {

Result<IomemTree> read_iomem(std::string_view source_name, std::string_view text);

}  // namespace bootmap
