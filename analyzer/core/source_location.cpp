#include "core/source_location.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace bootmap {

std::string format_location(const SourceLocation& where) {
    if (where.line != 0 && where.column != 0) return fmt::format("{}:{}:{}", where.file, where.line, where.column);
    if (where.line != 0) return fmt::format("{}:{}", where.file, where.line);
    if (where.byte_offset) return fmt::format("{}:@{:#x}", where.file, *where.byte_offset);
    return where.file;
}

SourceLocation text_location_at(std::string_view source, std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const auto before = text.substr(0, offset);
    const auto line = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n') + 1);
    const auto line_start = before.rfind('\n');
    const std::size_t column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
    return SourceLocation{std::string(source), line, static_cast<std::uint32_t>(column), std::nullopt};
}

}  // namespace bootmap
