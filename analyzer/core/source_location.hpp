#pragma once
// Where something came from in an input: a file with line and column (text formats) or a byte offset
// (binary formats). Line and column are 1-based; 0 means "not known".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bootmap {

struct SourceLocation {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::optional<std::uint64_t> byte_offset;

    bool operator==(const SourceLocation&) const = default;
};

// The line and column (1-based) of a byte offset in a text, as a location in `source`.
SourceLocation text_location_at(std::string_view source, std::string_view text, std::size_t offset);

// "file:line:col" / "file:line" / "file:@offset" / "file", the clang-style prefix of a message.
std::string format_location(const SourceLocation& where);

}  // namespace bootmap
