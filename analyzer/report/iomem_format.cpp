#include "report/iomem_format.hpp"

#include <algorithm>

#include <fmt/format.h>


namespace bootmap {

std::string format_iomem(const IomemTree& tree) {
    std::string out;
    out.reserve(tree.entries.size() * 48);
    const std::string_view eol = tree.crlf ? "\r\n" : "\n";
    auto blank_lines = [&](std::size_t slot) {
        if (slot < tree.blank_lines_before.size())
            for (std::uint32_t i = 0; i < tree.blank_lines_before[slot]; ++i) out += eol;
    };
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        const IomemEntry& e = tree.entries[i];
        blank_lines(i);
        // r_show(): two spaces per level up to MAX_IORES_LEVEL, 8 hex digits at least for iomem.
        const std::size_t indent = std::size_t{2} * std::min(e.depth, kIomemMaxPrintedDepth);
        fmt::format_to(std::back_inserter(out), "{:{}}{:08x}-{:08x} : {}", "", indent, e.first.value(), e.last.value(), e.name);
        if (i + 1 < tree.entries.size() || tree.final_newline) out += eol;
    }
    blank_lines(tree.entries.size());
    return out;
}

}  // namespace bootmap
