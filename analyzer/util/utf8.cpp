#include "util/utf8.hpp"

#include <cstdint>

namespace bootmap {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of the valid sequence starting at `s`, and its code point; 0 when it is not one.
std::size_t decode(std::string_view s, std::uint32_t& cp) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(0);
    std::size_t length = 0;
    std::uint32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        length = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        length = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        length = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (s.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return length;
}

bool xml_allowed(std::uint32_t cp) { return (cp >= 0x20 || cp == 0x9 || cp == 0xA || cp == 0xD) && cp != 0xFFFE && cp != 0xFFFF; }

}  // namespace

std::string xml_safe_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::uint32_t cp = 0;
        const std::size_t n = decode(text.substr(i), cp);
        if (n == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        if (xml_allowed(cp)) out.append(text, i, n);
        else out += kReplacement;
        i += n;
    }
    return out;
}

}  // namespace bootmap
