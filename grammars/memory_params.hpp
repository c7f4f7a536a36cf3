#pragma once
// The values of the x86 parameters that edit the e820 map, parsed as arch/x86/kernel/e820.c does:
// parse_memopt() for mem= and parse_memmap_one() for each comma-separated memmap= item.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "memparse.hpp"

namespace bootmap::grammars {

struct MemParam {
    bool nopentium = false;
    MemparseResult size;
    bool valid = false;  // false: the handler returns -EINVAL ("Malformed early option 'mem'")
};

MemParam parse_mem_param(std::string_view value);

struct MemmapItem {
    enum class Kind {
        invalid,   // nothing parsed: ignored
        exactmap,  // the table is cleared
        limit,     // "nn": RAM at and above nn is removed, like mem=
        add,       // "nn@ss", "nn#ss", "nn$ss", "nn!ss", "nn%ss+t": an entry of `new_type` is added
        update,    // "nn%ss-a+b": type a becomes b
        remove,    // "nn%ss-a" (type a only) or "nn%ss" (any type)
        rejected,  // "nn%ss..." with trailing text: nothing is changed (but the map is still user-defined)
    };
    Kind kind = Kind::invalid;
    char indicator = 0;     // '@', '#', '$', '!', '%' or 0
    MemparseResult size;
    MemparseResult start;   // meaningful when indicator != 0
    std::uint64_t old_type = 0;
    std::uint64_t new_type = 0;
    std::size_t offset = 0;   // of the item within the memmap= value
    std::size_t length = 0;   // of the item
    std::size_t parsed = 0;   // characters understood; when < length the rest is ignored trailing text
                              // (the edit is still applied, as the kernel applies it before checking)
};

// Splits on ',' and parses each item on its own, like parse_memmap_opt().
std::vector<MemmapItem> parse_memmap_param(std::string_view value);

}  // namespace bootmap::grammars
