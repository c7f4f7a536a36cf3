#pragma once
// Reads a device tree source the way kernel builds do: the C preprocessor first (for #include and
// #define, with the file's own directory and every -I directory on the include path), then dtc.
// The blob dtc produces is read like any DTB; dtc's annotated output (-T -T) gives every node and
// property the file and line that defined it and of each `&label { }` override that changed it.

#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "model/device_tree.hpp"

namespace bootmap {

struct DtsOptions {
    std::vector<std::string> include_dirs;
    bool preprocess = true;  // run cpp first (as the kernel's dtbs rule does)
};

Result<DeviceTree> read_dts(const std::string& path, const DtsOptions& options);

}  // namespace bootmap
