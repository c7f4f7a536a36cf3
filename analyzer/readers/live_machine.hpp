#pragma once
// The machine bootmap runs on, read from procfs. Paths are parameters so tests can point them at a
// fixture tree instead of the real /proc.

#include <string>

#include "core/input_error.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct LivePaths {
    std::string iomem = "/proc/iomem";
    std::string cmdline = "/proc/cmdline";
    std::string fdt = "/sys/firmware/fdt";  // the blob the kernel booted with (device-tree machines, root only)
};

// Fills the machine model from what is readable. /proc/iomem is required; the command line is taken
// when readable, and so is the device tree the kernel booted with.
Result<Machine> read_live_machine(const LivePaths& paths, KernelProfile profile);

}  // namespace bootmap
