#pragma once
// Findings from replaying crashkernel= on the predicted memory map.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/x86_boot.hpp"

namespace bootmap {

std::vector<Diagnostic> check_crashkernel(const KernelCommandLine& cmdline, const X86Boot& boot);
// arm64: a cma= area or crash kernel the replayed boot could not place, with the kernel's words.
std::vector<Diagnostic> check_arm64_placements(const KernelCommandLine& cmdline, const Arm64Boot& boot);

}  // namespace bootmap
