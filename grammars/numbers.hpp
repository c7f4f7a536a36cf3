#pragma once
// Whole unsigned numbers from text without exceptions: nullopt when the text is empty, holds
// anything but digits of the base, or does not fit 64 bits. Readers use it on text a pattern has
// already matched, so that a pattern's gap (an empty group, 30 hex digits) is an input error, not a
// thrown exception.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bootmap::grammars {

inline std::optional<std::uint64_t> parse_unsigned(std::string_view text, int base) {
    std::uint64_t value = 0;
    if (text.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace bootmap::grammars
