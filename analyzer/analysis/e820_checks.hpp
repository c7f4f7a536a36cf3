#pragma once
// Findings from replaying mem= and memmap= over the firmware's e820 map. Without a firmware map,
// only the findings about the parameters themselves are made.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/x86_e820_setup.hpp"
#include "model/machine.hpp"

namespace bootmap {

std::vector<Diagnostic> check_e820_setup(const Machine& machine, const X86E820Setup& setup);

}  // namespace bootmap
