#pragma once
// The x86 e820 table operations of arch/x86/kernel/e820.c (6.1): sanitize (e820__update_table),
// retype, remove and add, the boot-time trim of the BIOS area, and the type names the kernel prints.

#include <cstdint>
#include <vector>
#include <optional>
#include <string>
#include <string_view>

#include "model/kernel_profile.hpp"
#include "model/e820.hpp"

namespace bootmap {

// What an operation did, for the log lines and for findings.
struct E820Edit {
    enum class Kind { update, remove, add, add_ignored } kind;
    PhysAddr start;
    PhysAddr last;  // inclusive, as the kernel prints it
    std::uint32_t old_type = 0;
    std::uint32_t new_type = 0;
    bool check_type = true;
    std::uint64_t bytes_changed = 0;
};

class E820Model {
public:
    E820Model(E820Table table, KernelProfile profile);

    // e820__update_table(): false (and the table untouched) with fewer than two entries or an entry
    // that wraps, as the kernel refuses those.
    bool update_table();
    E820Edit range_update(PhysAddr start, ByteSize size, std::uint32_t old_type, std::uint32_t new_type);
    E820Edit range_remove(PhysAddr start, ByteSize size, std::uint32_t old_type, bool check_type);
    E820Edit range_add(PhysAddr start, ByteSize size, std::uint32_t type);
    void clear();  // memmap=exactmap
    // trim_bios_range(): page 0 becomes reserved, RAM in the legacy BIOS area goes, then sanitize.
    void trim_bios_range();

    [[nodiscard]] const E820Table& table() const { return table_; }
    [[nodiscard]] std::size_t max_entries() const { return max_entries_; }

private:
    E820Table table_;
    std::size_t max_entries_;
};

// e820__end_of_ram_pfn() << PAGE_SHIFT: the end of the highest RAM entry (max_pfn).
std::uint64_t e820_end_of_ram(const E820Table& table);

// e820__reserve_resources_late(): after each RAM entry, up to the next boundary of 64 KiB (below
// 1 MiB), 1 MiB (below 16 MiB) or 64 MiB, the "RAM buffer" that keeps PCI from allocating right
// after RAM, inserted with reserve_region_with_split() in the gaps that no top-level resource
// (`occupied`, sorted or not) already holds.
std::vector<AddrRange> e820_ram_buffers(const E820Table& table, std::vector<AddrRange> occupied);

// e820__reserve_resources_late(): a Reserved entry (not busy at or above 1 MiB, so inserted only
// now) that partly overlaps one of the PCI host windows grows to contain it
// (insert_resource_expand_to_fit(): "Expanded resource Reserved due to conflict with PCI Bus").
E820Table e820_expand_reserved_to_windows(E820Table table, const std::vector<AddrRange>& windows);

// E820_MAX_ENTRIES: 128 from the zero page plus three per possible NUMA node.
std::size_t e820_max_entries(const KernelProfile& profile);

}  // namespace bootmap
