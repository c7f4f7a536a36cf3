#pragma once
// memblock arrays in the kernel's formats.

#include <string>

#include "kernel/memblock.hpp"

namespace bootmap {

// /sys/kernel/debug/memblock/{memory,reserved} (6.1): "%4d: %pa..%pa" with an inclusive end.
std::string format_memblock_debugfs(const MemblockType& type);

}  // namespace bootmap
