#pragma once
// The resource tree that /proc/iomem shows, as read from a dump: every entry keeps its printed
// inclusive bounds (which may be nonsense in a broken dump: the analyses judge that, not the reader)
// and the line it came from.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address.hpp"

namespace bootmap {

struct IomemEntry {
    PhysAddr first;  // as printed
    PhysAddr last;   // as printed, inclusive
    std::string name;
    std::uint32_t line = 0;
    std::uint32_t depth = 0;                // true nesting depth, 0 = top level
    std::optional<std::size_t> parent;      // index into IomemTree::entries
    std::vector<std::size_t> children;      // indices, in file order

    // The half-open range, when the printed bounds make one.
    [[nodiscard]] std::optional<AddrRange> range() const { return AddrRange::from_inclusive(first, last); }
};

struct IomemTree {
    std::string source;                     // file name as the user gave it
    std::vector<IomemEntry> entries;        // pre-order, i.e. file order
    std::vector<std::size_t> roots;         // top-level entries, in file order
    // Layout details of the file that carry no meaning but let the tree be printed back byte for byte.
    std::vector<std::uint32_t> blank_lines_before;  // per entry, plus one trailing count at the end
    bool crlf = false;
    bool final_newline = true;
};

}  // namespace bootmap
