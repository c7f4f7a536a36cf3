#pragma once
// The ACPI SRAT as read from its binary form: the CPU and memory affinity entries Linux uses, in
// table order, each with the byte offset it came from.

#include <cstdint>
#include <string>
#include <vector>

namespace bootmap {

struct SratCpu {
    std::uint8_t type = 0;  // 0 local APIC, 2 x2APIC, 3 GICC
    std::uint32_t pxm = 0;
    std::uint32_t apic_id = 0;
    bool enabled = false;
    std::uint64_t offset = 0;
};

struct SratMemory {
    std::uint32_t pxm = 0;
    std::uint64_t base = 0;
    std::uint64_t length = 0;
    std::uint32_t flags = 0;  // bit 0 enabled, 1 hot-pluggable, 2 non-volatile, 3 specific purpose
    std::uint64_t offset = 0;
    std::uint32_t line = 0;  // 1-based, when read from a boot log; 0 for a binary table

    [[nodiscard]] bool enabled() const { return flags & 1; }
    [[nodiscard]] bool hotplug() const { return flags & 2; }
    [[nodiscard]] bool non_volatile() const { return flags & 4; }
};

struct SratTable {
    std::string source;
    std::uint8_t revision = 0;  // header revision: decides 8-bit or 32-bit proximity domains
    std::vector<SratCpu> cpus;
    std::vector<SratMemory> memory;
    std::vector<std::pair<std::uint8_t, std::uint64_t>> unknown;  // subtable type, offset
};

}  // namespace bootmap
