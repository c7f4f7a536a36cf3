#pragma once
// A synthetic /proc/iomem of a given size with realistic shape: top-level RAM, reserved and PCI
// windows, children two and three levels deep. Generated at bench time, never stored.

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace bootmap::bench {

inline std::string synthetic_iomem(std::size_t lines) {
    std::string out;
    out.reserve(lines * 40);
    std::uint64_t addr = 0x1000;
    std::size_t written = 0;
    while (written < lines) {
        const std::uint64_t size = 0x100000;  // 1 MiB per top-level block
        const char* name = (written % 3 == 0) ? "System RAM" : (written % 3 == 1 ? "Reserved" : "PCI Bus 0000:00");
        fmt::format_to(std::back_inserter(out), "{:08x}-{:08x} : {}\n", addr, addr + size - 1, name);
        ++written;
        for (std::uint64_t child = 0; child < 4 && written < lines; ++child) {
            const std::uint64_t c = addr + child * 0x40000;
            fmt::format_to(std::back_inserter(out), "  {:08x}-{:08x} : reserved\n", c, c + 0x1ffff);
            ++written;
            if (written < lines) {
                fmt::format_to(std::back_inserter(out), "    {:08x}-{:08x} : 0000:00:{:02x}.0\n", c, c + 0xfff, child);
                ++written;
            }
        }
        addr += size + 0x1000;  // leave a hole between blocks
    }
    return out;
}

}  // namespace bootmap::bench
