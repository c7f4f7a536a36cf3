#include "model/kernel_profile.hpp"

#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace bootmap {

std::optional<KernelVersion> parse_kernel_version(std::string_view text) {
    if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
    KernelVersion v;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v.major);
    if (ec != std::errc{} || p == end || *p != '.') return std::nullopt;
    auto [q, ec2] = std::from_chars(p + 1, end, v.minor);
    if (ec2 != std::errc{}) return std::nullopt;
    if (q != end && *q != '.' && *q != '-' && *q != '+') return std::nullopt;
    if (v.major < 2 || v.major > 99) return std::nullopt;
    if (q != end && *q == '.') {
        unsigned patch = 0;
        auto [r, ec3] = std::from_chars(q + 1, end, patch);
        // Debian's ABI names ("6.1.0-56-amd64") carry 0 for a sublevel they do not say.
        const bool abi_name = patch == 0 && r != end && *r == '-';
        if (ec3 == std::errc{} && !abi_name && patch < 100000) v.patch = patch;
    }
    return v;
}

namespace {
constexpr std::array<std::pair<std::string_view, Arch>, 12> kArchNames{{
    {"x86_64", Arch::x86_64}, {"amd64", Arch::x86_64}, {"x86", Arch::x86_64},
    {"arm64", Arch::arm64}, {"aarch64", Arch::arm64},
    {"arm", Arch::arm}, {"riscv64", Arch::riscv64}, {"riscv", Arch::riscv64},
    {"powerpc64", Arch::powerpc64}, {"ppc64le", Arch::powerpc64},
    {"s390x", Arch::s390x}, {"loongarch64", Arch::loongarch64},
}};
}  // namespace

std::optional<Arch> parse_arch(std::string_view text) {
    for (const auto& [name, arch] : kArchNames)
        if (name == text) return arch;
    return std::nullopt;
}

std::string_view arch_name(Arch arch) {
    for (const auto& [name, a] : kArchNames)
        if (a == arch) return name;
    return "unknown";
}

std::string format_kernel_version(KernelVersion version) {
    return version.patch ? fmt::format("{}.{}.{}", version.major, version.minor, *version.patch) : fmt::format("{}.{}", version.major, version.minor);
}

std::string kernel_profiles_summary() {
    return "kernel profiles (--kernel VERSION such as 6.12.118 or a uname -r string, --arch ARCH; default: a given boot log's own\n"
           "version, else 6.1). The modelled behaviour changes at (mainline release, stable sublevel that took it):\n" +
           version_gates_text() +
           "verified against Debian's 6.1 (amd64, arm64; SeaBIOS, plain DT and UEFI) and 6.12.118, booted under QEMU\n"
           "(fixtures/kernel*); `bootmap gates --kernel VERSION` says which of these a kernel has";
}

}  // namespace bootmap
