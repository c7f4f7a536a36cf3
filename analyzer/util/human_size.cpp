#include "util/human_size.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace bootmap {

std::string human_size(ByteSize size) {
    static constexpr std::array<std::string_view, 7> kUnits{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    const std::uint64_t bytes = size.bytes();
    std::size_t unit = 0;
    while (unit + 1 < kUnits.size() && (bytes >> (10 * (unit + 1))) != 0) ++unit;
    if (unit == 0) return fmt::format("{} B", bytes);
    const std::uint64_t whole = bytes >> (10 * unit);
    if ((bytes & ((1ull << (10 * unit)) - 1)) == 0) return fmt::format("{} {}", whole, kUnits[unit]);
    // Exact in the next smaller unit and still short: say it exactly rather than round (4095 MiB, not 4.00 GiB).
    const std::uint64_t smaller = bytes >> (10 * (unit - 1));
    if ((bytes & ((1ull << (10 * (unit - 1))) - 1)) == 0 && smaller < 10000) return fmt::format("{} {}", smaller, kUnits[unit - 1]);
    return fmt::format("{:.2f} {}", static_cast<double>(bytes) / static_cast<double>(1ull << (10 * unit)), kUnits[unit]);
}

std::string hex(PhysAddr addr) { return fmt::format("{:#x}", addr.value()); }
std::string hex(ByteSize size) { return fmt::format("{:#x}", size.bytes()); }

std::string mem_range(AddrRange range) {
    return fmt::format("[mem {:#010x}-{:#010x}]", range.begin().value(), range.empty() ? range.begin().value() : range.last().value());
}

}  // namespace bootmap
