#pragma once
// `daxctl list -M` output (also with -R, and `ndctl list` output that nests a "daxregion"): the
// device-DAX devices and their physical mappings, read with nlohmann-json. Numbers may be integers
// or the "0x..." strings daxctl prints for addresses.

#include <string_view>

#include "core/input_error.hpp"
#include "model/dax_listing.hpp"

namespace bootmap {

Result<DaxListing> read_daxctl_list(std::string_view source_name, std::string_view json);

}  // namespace bootmap
