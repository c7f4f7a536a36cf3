#pragma once
// Findings about the memory parameters' values: what each kernel handler refuses or ignores (with
// its own words), parameters the profile's kernel does not have yet, and reserve= over RAM.

#include <vector>

#include "core/diagnostic.hpp"
#include "model/machine.hpp"

namespace bootmap {

std::vector<Diagnostic> check_boot_params(const KernelCommandLine& cmdline, const KernelProfile& profile, const E820Table* firmware);

}  // namespace bootmap
