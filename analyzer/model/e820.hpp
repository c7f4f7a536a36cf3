#pragma once
// An e820 table as the x86 kernel keeps it: entries of (address, size, type) with the raw 32-bit type,
// so unknown firmware types survive. Sizes are kept as given: an entry that wraps 64 bits is a fact
// about the input that the kernel model reacts to (e820__update_table() refuses such a table).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// The names the kernel gives the types, and back: they are the formats readers read and reporters write.
// dmesg word of e820_print_type(): "usable", "reserved", "ACPI data", "persistent (type 12)", ...
std::string e820_type_word(std::uint32_t type);
// /proc/iomem and /sys/firmware/memmap name of e820_type_to_string(): "System RAM", "Reserved", ...
std::string_view e820_type_name(std::uint32_t type);
// The inverse of both, for readers.
std::optional<std::uint32_t> e820_type_from_word(std::string_view word);
std::optional<std::uint32_t> e820_type_from_name(std::string_view name);

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
