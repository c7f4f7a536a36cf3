#pragma once
// An ACPI table from its `iasl -d` disassembly: every field line carries its byte offset, length and
// value ("[004h 0004   4]  Table Length : 000000E0"; newer iasl prints the length in hex, "004h"),
// so the binary table is rebuilt byte for byte and read by the binary reader, checksum included.

#include <string>
#include <string_view>

#include "core/input_error.hpp"

namespace bootmap {

Result<std::string> rebuild_acpi_table_from_iasl(std::string_view source_name, std::string_view text);

}  // namespace bootmap
