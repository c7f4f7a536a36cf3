#include "report/memblock_format.hpp"

#include <fmt/format.h>

namespace bootmap {

std::string format_memblock_debugfs(const MemblockType& type) {
    std::string out;
    if (type.regions.empty()) return "   0: 0x0000000000000000..0xffffffffffffffff\n";  // the zero dummy entry: end = 0 - 1
    for (std::size_t i = 0; i < type.regions.size(); ++i)
        fmt::format_to(std::back_inserter(out), "{:4}: {:#018x}..{:#018x}\n", i, type.regions[i].base, type.regions[i].end() - 1);
    return out;
}

}  // namespace bootmap
