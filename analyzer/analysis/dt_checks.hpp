#pragma once
// Findings on a device tree's memory description, from what the boot replay did with it: overlaps
// with both sources, regions outside RAM, the 64-entry limit, dynamic regions that cannot be placed
// (with the free space their windows had), CMA alignment per page size, property mistakes the
// kernel silently tolerates or loudly refuses, and what a kernel upgrade or downgrade changes.

#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"
#include "model/machine.hpp"

namespace bootmap {

// `other`: the same boot under the other reserved_mem implementation, for the profile comparison.
// `static_only`: `boot` was replayed with a stand-in for the RAM the tree does not give; only what
// needs no RAM is judged.
std::vector<Diagnostic> check_device_tree(const DeviceTree& tree, const Arm64Boot& boot, const Arm64Boot* other, const KernelProfile& profile,
                                          bool static_only = false);

}  // namespace bootmap
