#pragma once
// Findings from replaying dmem= (seed 000): the true shortfall per node behind the seed's misleading
// message, region-table exhaustion, and '!' mode leaving the kernel less than asked.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/dmem.hpp"
#include "model/machine.hpp"

namespace bootmap {

std::vector<Diagnostic> check_dmem(const KernelCommandLine& cmdline, const DmemOutcome& dmem);

}  // namespace bootmap
