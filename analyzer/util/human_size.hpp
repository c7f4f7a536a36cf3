#pragma once
// Sizes and addresses as people read them in messages: "512 MiB", "1.50 GiB", "0x40000000".

#include <string>

#include "core/address.hpp"

namespace bootmap {

// Binary units; exact when the size is a whole number of the unit, two decimals otherwise.
std::string human_size(ByteSize size);
// The kernel's %#llx: 0x prefix, minimal lowercase hex, "0x0" for zero.
std::string hex(PhysAddr addr);
std::string hex(ByteSize size);
// "[mem 0x..-0x..]" with an inclusive end, as the kernel prints ranges.
std::string mem_range(AddrRange range);

}  // namespace bootmap
