#pragma once
// A finding's identity across runs: the rule, the file, what the finding is about (the node path
// when it has one, and its address range, else its message), but not its line, so that editing lines above it keeps the identity.
// FNV-1a over those, printed in hex: stable across builds and platforms.

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/diagnostic.hpp"

namespace bootmap {

inline std::string finding_fingerprint(const Diagnostic& d) {
    std::uint64_t h = 14695981039346656037ull;
    const auto mix = [&](std::string_view s) {
        for (const unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;  // a separator no text contains
        h *= 1099511628211ull;
    };
    mix(d.rule_id);
    mix(d.where.file);
    if (!d.subject.empty()) mix(d.subject);
    if (d.range)
        mix(fmt::format("{:x}-{:x}", d.range->begin().value(), d.range->end().value()));
    else
        mix(d.message);
    return fmt::format("{:016x}", h);
}

}  // namespace bootmap
