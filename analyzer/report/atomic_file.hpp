#pragma once
// Writes an output file so that a reader sees either the old contents or the complete new ones:
// write a temporary file beside it, flush it to disk, rename it over the target.

#include <optional>
#include <string>
#include <string_view>

namespace bootmap {

// Returns an error message, or nullopt on success.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace bootmap
