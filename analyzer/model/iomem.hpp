#pragma once
// The resource tree that /proc/iomem shows, as read from a dump: every entry keeps its printed
// inclusive bounds (which may be nonsense in a broken dump: the analyses judge that, not the reader)
// and the line it came from.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/address.hpp"

namespace bootmap {

// kernel/resource.c r_show() stops indenting at this depth (MAX_IORES_LEVEL): deeper resources are
// printed at this level and their nesting must be recovered from containment.
inline constexpr std::uint32_t kIomemMaxPrintedDepth = 5;


// A resource the kernel inserts below an e820 entry, such as "Crash kernel".
struct IomemChild {
    std::uint64_t first;
    std::uint64_t last;  // inclusive
    std::string name;
    std::uint32_t depth = 1;  // below the entry (1) or below the child before it (2, ...)
};


struct IomemEntry {
    PhysAddr first;  // as printed
    PhysAddr last;   // as printed, inclusive
    std::string name;
    std::uint32_t line = 0;
    std::uint32_t depth = 0;                // true nesting depth, 0 = top level
    std::optional<std::uint32_t> parent;    // index into IomemTree::entries (a dump has fewer than 2^32 lines); children via IomemTree::children()

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

    // The children of entry `index`, in file order. Kept in one array for the whole tree (not a
    // vector per entry): a million-line dump then costs no allocation per parent.
    [[nodiscard]] std::span<const std::uint32_t> children(std::size_t index) const {
        if (index + 1 >= child_start.size()) return {};  // a tree still being filled has no index yet
        return std::span<const std::uint32_t>(child_list).subspan(child_start[index], child_start[index + 1] - child_start[index]);
    }
    // Builds the children index from the parent links; whoever fills `entries` calls it once at the end.
    void index_children() {
        child_start.assign(entries.size() + 1, 0);
        for (const auto& e : entries)
            if (e.parent) ++child_start[*e.parent + 1];
        for (std::size_t i = 0; i < entries.size(); ++i) child_start[i + 1] += child_start[i];
        child_list.assign(child_start.back(), 0);
        std::vector<std::uint32_t> next(child_start.begin(), child_start.end() - 1);
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i].parent) child_list[next[*entries[i].parent]++] = static_cast<std::uint32_t>(i);
    }

    // Visits `root` and everything below it in file order, without recursion (a hostile dump may nest
    // tens of thousands deep); `visit(index)` returns whether to go below that entry.
    template <class Visit>
    void walk(std::size_t root, Visit&& visit) const {
        std::vector<std::size_t> pending{root};
        while (!pending.empty()) {
            const std::size_t i = pending.back();
            pending.pop_back();
            if (!visit(i)) continue;
            const auto below = children(i);
            pending.insert(pending.end(), below.rbegin(), below.rend());
        }
    }

private:
    std::vector<std::uint32_t> child_list;  // every entry's children, grouped by parent
    std::vector<std::uint32_t> child_start;  // per entry, where its group starts; one more at the end
};

}  // namespace bootmap
