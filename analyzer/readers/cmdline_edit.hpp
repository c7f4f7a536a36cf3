#pragma once
// "My current command line plus one change": --cmdline-remove drops every parameter of a name and
// --cmdline-add appends text, the way a user edits GRUB_CMDLINE_LINUX. Every kept character still
// points into the file it came from; the added ones point at the option.

#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "model/machine.hpp"

namespace bootmap {

Result<KernelCommandLine> edit_cmdline(const KernelCommandLine& base, const std::vector<std::string>& remove, const std::vector<std::string>& add);

}  // namespace bootmap
