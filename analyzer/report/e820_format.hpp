#pragma once
// e820 tables in the kernel's own formats.

#include <string>
#include <string_view>
#include <vector>

#include "model/e820.hpp"
#include "model/iomem.hpp"

namespace bootmap {

// e820__print_table(who): "<who>: [mem %#018Lx-%#018Lx] <type word>" per entry.
std::string format_e820_table(const E820Table& table, std::string_view who);

// The /proc/iomem lines of e820__reserve_resources(): "%08llx-%08llx : <type name>" per entry, with
// the given children, in order, indented below the entry that holds them.
// `top_level`: other top-level entries (RAM buffers), sorted, printed in address order among the e820 ones.
std::string format_e820_iomem(const E820Table& table, const std::vector<IomemChild>& children = {}, const std::vector<IomemChild>& top_level = {});

}  // namespace bootmap
