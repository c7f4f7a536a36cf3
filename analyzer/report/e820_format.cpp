#include "report/e820_format.hpp"

#include <fmt/format.h>

#include "kernel/e820.hpp"

namespace bootmap {

std::string format_e820_table(const E820Table& table, std::string_view who) {
    std::string out;
    for (const auto& e : table.entries)
        fmt::format_to(std::back_inserter(out), "{}: [mem {:#018x}-{:#018x}] {}\n", who, e.addr.value(), e.addr.value() + e.size.bytes() - 1,
                       e820_type_word(e.type));
    return out;
}

std::string format_e820_iomem(const E820Table& table, const std::vector<IomemChild>& children, const std::vector<IomemChild>& top_level) {
    std::string out;
    std::size_t next_top = 0;
    const auto flush_top_before = [&](std::uint64_t addr) {
        for (; next_top < top_level.size() && top_level[next_top].first < addr; ++next_top)
            fmt::format_to(std::back_inserter(out), "{:08x}-{:08x} : {}\n", top_level[next_top].first, top_level[next_top].last, top_level[next_top].name);
    };
    for (const auto& e : table.entries) {
        const std::uint64_t first = e.addr.value(), last = e.addr.value() + e.size.bytes() - 1;
        flush_top_before(first);
        fmt::format_to(std::back_inserter(out), "{:08x}-{:08x} : {}\n", first, last, e820_type_name(e.type));
        for (const auto& c : children)
            if (first <= c.first && c.last <= last)
                fmt::format_to(std::back_inserter(out), "{:{}}{:08x}-{:08x} : {}\n", "", 2 * c.depth, c.first, c.last, c.name);
    }
    flush_top_before(~std::uint64_t{0});
    if (next_top < top_level.size())
        fmt::format_to(std::back_inserter(out), "{:08x}-{:08x} : {}\n", top_level[next_top].first, top_level[next_top].last, top_level[next_top].name);
    return out;
}

}  // namespace bootmap
