#include "memparse.hpp"

namespace bootmap::grammars {
namespace {

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

bool is_hex_digit(char c) { return digit_value(c) < 16; }

// The shift for memparse's one-letter suffixes, or -1.
int suffix_shift(char c) {
    switch (c) {
        case 'K': case 'k': return 10;
        case 'M': case 'm': return 20;
        case 'G': case 'g': return 30;
        case 'T': case 't': return 40;
        case 'P': case 'p': return 50;
        case 'E': case 'e': return 60;
        default: return -1;
    }
}

}  // namespace

MemparseResult simple_strtoull(std::string_view text) {
    MemparseResult r;
    std::size_t i = 0;
    unsigned base = 10;
    // Base 0: "0x" followed by a hex digit is hex; any other leading 0 is octal.
    if (!text.empty() && text[0] == '0') {
        if (text.size() >= 3 && (text[1] == 'x' || text[1] == 'X') && is_hex_digit(text[2])) {
            base = 16;
            i = 2;
        } else {
            base = 8;
        }
    }
    const std::size_t digits_start = i;
    for (; i < text.size(); ++i) {
        const int d = digit_value(text[i]);
        if (d >= static_cast<int>(base)) break;
        const auto digit = static_cast<std::uint64_t>(d);
        if (r.value > (UINT64_MAX - digit) / base) r.wrapped = true;
        r.value = r.value * base + digit;  // unsigned arithmetic wraps, as the kernel's does
    }
    const std::size_t digits = i - digits_start;
    if (base == 8 && digits > 1) r.octal = true;  // a lone "0" is zero in any base
    if (base == 16 && digits > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E')) r.hex_e_digit = true;
    r.consumed = i;
    return r;
}

MemparseResult memparse(std::string_view text) {
    MemparseResult r = simple_strtoull(text);
    std::size_t i = r.consumed;
    if (i < text.size()) {
        const int shift = suffix_shift(text[i]);
        if (shift >= 0) {
            if (i == 0) r.bare_suffix = true;
            if ((r.value >> (64 - shift)) != 0) r.wrapped = true;
            r.value <<= shift;
            ++i;
        }
    }
    r.consumed = i;
    return r;
}

}  // namespace bootmap::grammars
