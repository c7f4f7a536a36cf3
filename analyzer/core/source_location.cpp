#include "core/source_location.hpp"

#include <fmt/format.h>

namespace bootmap {

std::string format_location(const SourceLocation& where) {
    if (where.line != 0 && where.column != 0) return fmt::format("{}:{}:{}", where.file, where.line, where.column);
    if (where.line != 0) return fmt::format("{}:{}", where.file, where.line);
    if (where.byte_offset) return fmt::format("{}:@{:#x}", where.file, *where.byte_offset);
    return where.file;
}

}  // namespace bootmap
