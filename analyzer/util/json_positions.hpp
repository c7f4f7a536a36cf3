#pragma once
// JSON parsed with the place of each member and array element in the text, so that a file that is
// JSON but not what was expected (a baseline with a finding that has no fingerprint) is refused at
// the line and column of the offending value, not only by name. nlohmann::json 3.11 keeps no
// positions: the parse is fed through an iterator that counts the bytes read, and the parser's
// callback notes, as each value is read, how far the text has been read.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace bootmap {

struct PositionedJson {
    nlohmann::json value;
    // By JSON pointer ("/findings/3", "/schema_version"): the byte offset where the value starts
    // (for a member: its key).
    std::unordered_map<std::string, std::size_t> offsets;

    // The offset of the value at `pointer`, else of its nearest enclosing value that has one, else 0.
    [[nodiscard]] std::size_t offset_of(std::string pointer) const;
};

struct JsonSyntaxError {
    std::size_t offset;  // byte where the parser stopped
    std::string message;
};

// The parsed text, or where and why it is not JSON.
std::optional<PositionedJson> parse_positioned_json(std::string_view text, JsonSyntaxError& error);

}  // namespace bootmap
