#pragma once
// The memory an arm64 UEFI boot got from its firmware, recovered from that boot's /proc/iomem: the
// top-level "System RAM" and "reserved" entries are memblock's regions, the "reserved" ones NOMAP.
// A NOMAP entry also holds the tree's own no-map regions, merged with the firmware's: those are
// taken out again, the static ones where their reg says and the dynamic ones where the kernel's
// placement puts them, so that the next boot (with another tree) starts from the firmware's map.

#include <memory>
#include <vector>

#include "model/device_tree.hpp"
#include "model/machine.hpp"

namespace bootmap {

// `boot_memory`: the ranges of the boot's /proc/iomem (arm64_memory_from_iomem()); `tree`, `cmdline`
// and `placement`: that boot's, to replay its reserved-memory placement.
std::vector<FirmwareMemoryRange> uefi_firmware_memory(std::vector<FirmwareMemoryRange> boot_memory, const std::shared_ptr<const DeviceTree>& tree,
                                                      const KernelCommandLine* cmdline, const KernelProfile& profile, BootPlacement placement);

}  // namespace bootmap
