#pragma once
// A kernel release as the profiles and the version gates compare it.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace bootmap {

// A release: major.minor orders and compares (the series most behaviour follows); the sublevel,
// when known, decides only the gates of changes a stable series took in its middle (Debian's 6.12.y
// took the reserved-memory rework at 6.12.13 and 6.12.103). An unknown sublevel is the newest of
// its series the profiles know.
struct KernelVersion {
    unsigned major = 6;
    unsigned minor = 1;
    std::optional<unsigned> patch;  // the sublevel: 6.12.118 → 118; nullopt when not given

    auto operator<=>(const KernelVersion& other) const {
        if (auto c = major <=> other.major; c != 0) return c;
        return minor <=> other.minor;
    }
    bool operator==(const KernelVersion& other) const { return major == other.major && minor == other.minor; }
    // At least major.minor.patch, an unknown sublevel counting as the series' newest.
    [[nodiscard]] bool at_least(unsigned ma, unsigned mi, unsigned pa) const {
        if (major != ma || minor != mi) return *this > KernelVersion{ma, mi, std::nullopt};
        return !patch || *patch >= pa;
    }
};

// "6.1", "5.10.0-21-amd64", "v6.12" → version; nullopt when no major.minor can be read.
std::optional<KernelVersion> parse_kernel_version(std::string_view text);
std::string format_kernel_version(KernelVersion version);

}  // namespace bootmap
