#pragma once
// An e820 table as the x86 kernel keeps it: entries of (address, size, type) with the raw 32-bit type,
// so unknown firmware types survive. Sizes are kept as given: an entry that wraps 64 bits is a fact
// about the input that the kernel model reacts to (e820__update_table() refuses such a table).

#include <cstdint>
#include <string>
#include <vector>

#include "core/address.hpp"
#include "core/source_location.hpp"

namespace bootmap {

namespace e820_type {
inline constexpr std::uint32_t ram = 1;
inline constexpr std::uint32_t reserved = 2;
inline constexpr std::uint32_t acpi = 3;
inline constexpr std::uint32_t nvs = 4;
inline constexpr std::uint32_t unusable = 5;
inline constexpr std::uint32_t pmem = 7;
inline constexpr std::uint32_t pram = 12;
inline constexpr std::uint32_t reserved_kern = 128;
inline constexpr std::uint32_t soft_reserved = 0xefffffff;
}  // namespace e820_type

struct E820Entry {
    PhysAddr addr;
    ByteSize size;
    std::uint32_t type = e820_type::ram;
    SourceLocation where;  // the input line it came from; empty for entries the model created

    [[nodiscard]] PhysAddr end() const { return PhysAddr{addr.value() + size.bytes()}; }  // may wrap: check first
    bool operator==(const E820Entry& other) const { return addr == other.addr && size == other.size && type == other.type; }
};

struct E820Table {
    std::string source;
    std::vector<E820Entry> entries;
};

}  // namespace bootmap
