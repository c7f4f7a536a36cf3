#pragma once
// A kernel command line saved in a file (/proc/cmdline or a copy of it): one line of parameters.

#include <string_view>

#include "core/input_error.hpp"
#include "model/machine.hpp"

namespace bootmap {

Result<KernelCommandLine> read_cmdline(std::string_view source_name, std::string_view text);

}  // namespace bootmap
