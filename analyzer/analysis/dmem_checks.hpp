#pragma once
// Findings from replaying dmem= (seed 000): the true shortfall per node behind the seed's misleading
// message, region-table exhaustion, and '!' mode leaving the kernel less than asked.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/dmem.hpp"
#include "kernel/x86_boot.hpp"
#include "model/machine.hpp"

namespace bootmap {

std::vector<Diagnostic> check_dmem(const KernelCommandLine& cmdline, const DmemOutcome& dmem);

// What dmem leaves for the reservations that come after it in boot: crashkernel= (replayed after
// dmem) and the gigantic pages hugepages= allocates from memblock later. `with` and `without` are
// the same boot with and without dmem.
std::vector<Diagnostic> check_dmem_leftovers(const KernelCommandLine& cmdline, const X86Boot& with, const X86Boot& without);

}  // namespace bootmap
