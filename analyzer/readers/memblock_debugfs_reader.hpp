#pragma once
// /sys/kernel/debug/memblock/{memory,reserved} as a capture keeps them: "   N: 0xBASE..0xLAST"
// (6.12 adds the node and flags after it).

#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/input_error.hpp"

namespace bootmap {

Result<std::vector<AddrRange>> read_memblock_debugfs(std::string_view source, std::string_view text);

}  // namespace bootmap
