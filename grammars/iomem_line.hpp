#pragma once
// One line of /proc/iomem as kernel/resource.c r_show() prints it:
//   <2 spaces per level><start hex>-<end hex> : <name>
// The grammar only splits the line; what the fields mean is the reader's business.

#include <cstdint>
#include <string_view>
#include <variant>

namespace bootmap::grammars {

struct IomemLine {
    std::uint32_t indent = 0;  // count of leading spaces
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::string_view name;     // everything after " : ", possibly empty
};

struct IomemLineError {
    std::uint32_t column = 0;  // 1-based column where the line stopped making sense
    const char* expected = "";
};

// `line` excludes the line terminator.
std::variant<IomemLine, IomemLineError> parse_iomem_line(std::string_view line);

}  // namespace bootmap::grammars
