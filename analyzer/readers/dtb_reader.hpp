#pragma once
// Reads a flattened device tree blob with libfdt. The whole blob is checked first (fdt_check_full),
// so a truncated or corrupted blob is refused with libfdt's own words and the byte offset of the
// structure it could not read, before anything else looks at it.

#include <string_view>

#include "core/input_error.hpp"
#include "model/device_tree.hpp"

namespace bootmap {

Result<DeviceTree> read_dtb(std::string_view source_name, std::string_view bytes);

// True when the bytes start with the FDT magic (0xd00dfeed).
bool looks_like_dtb(std::string_view bytes);

}  // namespace bootmap
