#pragma once
// The kernel version and architecture a model follows. Models ask the profile, never a global, for
// every constant and behaviour switch that changed between kernel releases or differs by arch.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bootmap {

enum class Arch { x86_64, arm64, arm, riscv64, powerpc64, s390x, loongarch64 };

struct KernelVersion {
    unsigned major = 6;
    unsigned minor = 1;
    auto operator<=>(const KernelVersion&) const = default;
};

struct KernelProfile {
    KernelVersion version{};
    Arch arch = Arch::x86_64;
    // CONFIG_NODES_SHIFT. Debian's x86_64 kernels set MAXSMP (NR_CPUS 8192, as the 6.1 captures show),
    // which implies 10; it sizes E820_MAX_ENTRIES among others.
    unsigned nodes_shift = 10;
    unsigned page_shift = 12;

    // Memory hot-add requests its resource with __request_region() and may land below a non-busy
    // resource (mm/memory_hotplug.c register_memory_resource(), since 5.0); before, it could only be
    // a top-level resource (request_resource_conflict()).
    [[nodiscard]] bool hotplug_ram_may_nest() const { return version >= KernelVersion{5, 0}; }

    // CONFIG_CMA. Debian builds its amd64 kernels without it (the 6.1 oracle boots answer cma= with
    // "Unknown kernel command line parameters ... will be passed to user space"); its arm64
    // kernels have it.
    [[nodiscard]] bool has_cma() const { return cma_config.value_or(arch != Arch::x86_64); }
    std::optional<bool> cma_config;  // --kconfig CMA=y|n: a kernel built differently from Debian's

    // The dmem RFC (seed 000) was never merged: only a kernel carrying it (--kconfig DMEM=y) acts
    // on dmem=; any other treats it as an unknown parameter.
    [[nodiscard]] bool has_dmem() const { return dmem_config.value_or(false); }
    std::optional<bool> dmem_config;

    // Where the kernel image sits in physical memory when KASLR is off (nokaslr): Debian's 6.1 amd64
    // image, as its captures show it (CONFIG_PHYSICAL_START = 16 MiB; _end and the memblock
    // reservation up to __end_of_kernel_reserve). With KASLR the location is random and unknown.
    struct ImageLayout {
        std::uint64_t text = 0x1000000;
        std::uint64_t end = 0x4430000;           // __pa(_end): what e820_add_kernel_range() insists is RAM
        std::uint64_t reserve_end = 0x4411000;   // __end_of_kernel_reserve: what setup_arch() reserves in memblock
    };
    [[nodiscard]] ImageLayout image_without_kaslr() const { return {}; }
};

// "6.1", "5.10.0-21-amd64", "v6.12" → version; nullopt when no major.minor can be read.
std::optional<KernelVersion> parse_kernel_version(std::string_view text);
// "x86_64"/"amd64", "arm64"/"aarch64", ... → arch.
std::optional<Arch> parse_arch(std::string_view text);
std::string_view arch_name(Arch arch);
std::string format_kernel_version(KernelVersion version);

}  // namespace bootmap
