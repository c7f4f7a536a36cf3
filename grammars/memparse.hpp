#pragma once
// The kernel's memparse() (lib/cmdline.c over simple_strtoull() in lib/kstrtox.c), reproduced exactly,
// plus the surprises a user would want to hear about. It never fails: like the kernel, it reports how
// many characters it consumed and lets the caller judge what follows.

#include <cstdint>
#include <string_view>

namespace bootmap::grammars {

struct MemparseResult {
    std::uint64_t value = 0;
    std::size_t consumed = 0;  // characters taken, number and suffix
    // Surprises: the kernel accepts each silently.
    bool octal = false;        // a leading 0 made the number octal ("010M" is 8 MiB)
    bool wrapped = false;      // the number or its shift overflowed 64 bits and wrapped
    bool bare_suffix = false;  // no digits, but a suffix letter was consumed ("G" is 0)
    bool hex_e_digit = false;  // after 0x, a trailing e/E was read as a hex digit, not the exa suffix
};

MemparseResult memparse(std::string_view text);

// simple_strtoull(text, &end, 0): the number alone, base detected the same way, no suffix.
MemparseResult simple_strtoull(std::string_view text);

}  // namespace bootmap::grammars
