#pragma once
// Findings about a command line itself, whatever machine it boots: what its bootloader's quoting did
// to it, parameters given twice, and names that look like misspelt memory parameters.

#include <vector>

#include "core/diagnostic.hpp"
#include "model/machine.hpp"

namespace bootmap {

std::vector<Diagnostic> check_cmdline(const KernelCommandLine& cmdline);

}  // namespace bootmap
