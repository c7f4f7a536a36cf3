#pragma once
// Reads the firmware's e820 map from a kernel log (the BIOS-e820 block, in any era's format and with
// any line prefix) or from /sys/firmware/memmap (a directory, or a listing of it in any of its
// textual forms).

#include <string>
#include <string_view>

#include "core/input_error.hpp"
#include "model/e820.hpp"

namespace bootmap {

Result<E820Table> read_e820_text(std::string_view source_name, std::string_view text);
// /sys/firmware/memmap itself, or a copy of it: one directory per entry with start, end and type.
Result<E820Table> read_e820_directory(const std::string& path);

}  // namespace bootmap
