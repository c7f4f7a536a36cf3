#pragma once
// Findings from replaying crashkernel= on the predicted memory map.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/x86_boot.hpp"

namespace bootmap {

std::vector<Diagnostic> check_crashkernel(const KernelCommandLine& cmdline, const X86Boot& boot);

}  // namespace bootmap
