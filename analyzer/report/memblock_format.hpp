#pragma once
// memblock arrays in the kernel's formats.

#include <string>

#include "kernel/memblock.hpp"

namespace bootmap {

// /sys/kernel/debug/memblock/{memory,reserved}: "%4d: %pa..%pa" with an inclusive end; from v6.5
// (493f349e38d0, de649e7f5edb) followed by the node ("%4d", or 'x' for none) and the flags by name
// ("NONE", "NOMAP", "HOTPLUG|MIRROR"). `nodes_of`: the memory array, whose regions say the node of
// a reserved range that carries none itself (the kernel sets it from them before the file is read).
std::string format_memblock_debugfs(const MemblockType& type, const KernelProfile& profile, const MemblockType* nodes_of = nullptr);

}  // namespace bootmap
