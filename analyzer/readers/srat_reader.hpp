#pragma once
// Reads an ACPI SRAT in its binary form (/sys/firmware/acpi/tables/SRAT, acpidump -b), the same
// bytes base64-encoded, or its `iasl -d` disassembly. Length and checksum are verified; every subtable is bounds-checked before
// it is read, and errors name the byte offset.

#include <string_view>

#include "core/input_error.hpp"
#include "model/srat.hpp"

namespace bootmap {

Result<SratTable> read_srat(std::string_view source_name, std::string_view bytes);

}  // namespace bootmap
