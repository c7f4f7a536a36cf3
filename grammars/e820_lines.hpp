#pragma once
// RE2 patterns for the lines that carry an e820 map, in every shape the kernel and sysfs have used:
//   dmesg   "BIOS-e820: [mem 0x...-0x...] usable"                  (2.6.x onwards; inclusive end)
//           "BIOS-e820: 0000000000000000 - 000000000009f800 (usable)"  (2.6 era; exclusive end)
//           "BIOS-e820: 000000000009f800 @ 0000000000000000 (usable)"  (2.4: size @ start)
//           "BIOS-e820: [gap 0x...-0x...] ..."                     (newer format: ignored)
//   sysfs   "/sys/firmware/memmap/3/start:0x100000"               (grep "" .../*/*; inclusive end)
//           "0000000000100000-000000007ffdf000 (System RAM)"       (documentation loop; exclusive end)
//           "3 0x100000 0x7ffdefff System RAM"                     (index, start, inclusive end, type)
// Any prefix before "BIOS-e820:" (timestamps, syslog, journal, <N>) is skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bootmap::grammars {

struct E820Line {
    enum class Shape { dmesg_inclusive, dmesg_exclusive, dmesg_size_at_start, dmesg_gap, sysfs_field, doc_exclusive, indexed_inclusive };
    Shape shape;
    std::uint64_t first = 0;   // start address (or the size, for size_at_start)
    std::uint64_t second = 0;  // end (inclusive or exclusive per shape), or the start for size_at_start
    std::string type;          // dmesg word or sysfs name, as printed
    // sysfs_field only: entry index and which field ("start", "end", "type"); `type` holds the value text.
    std::uint32_t index = 0;
    std::string field;
    std::size_t match_column = 0;  // 0-based column where the recognised text starts (after any prefix)
};

// nullopt when the line is not an e820 line at all. A line that looks like one but has a number that
// does not fit 64 bits is reported as such through `overflow`.
std::optional<E820Line> match_e820_line(std::string_view line, bool* overflow);

}  // namespace bootmap::grammars
