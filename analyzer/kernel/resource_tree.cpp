#include "kernel/resource_tree.hpp"

#include <array>
#include <cctype>
#include <span>
#include <string>

namespace bootmap {
namespace {

bool starts_with_number_suffix(std::string_view name, std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix || name.size() == prefix.size()) return false;
    return std::isdigit(static_cast<unsigned char>(name[prefix.size()])) != 0;
}

// Names whose resources are requested busy at boot: RAM and the kernel image (setup_arch /
// request_standard_resources), e820 types that arch/x86/kernel/e820.c do_mark_busy() marks busy,
// the crash kernel, and pmem namespaces claimed by the pmem driver (devm_request_mem_region()).
constexpr std::array<std::string_view, 9> kBusyNames{
    "Kernel code", "Kernel rodata", "Kernel data", "Kernel bss", "Crash kernel",
    "ACPI Tables", "ACPI Non-volatile Storage", "Unusable memory", "System ROM",
};

// Names that are never busy: containers that exist so drivers can claim parts of them. e820
// Reserved/PMEM/PRAM/Soft Reserved above 1 MiB (do_mark_busy() returns false), NFIT and CXL
// containers, and dax devices bound to kmem (drivers/dax/kmem.c clears IORESOURCE_BUSY on them so
// add_memory_driver_managed() can nest System RAM below).
constexpr std::array<std::string_view, 5> kNonBusyNames{
    "Persistent Memory", "Persistent Memory (legacy)", "Soft Reserved", "PCI Bus", "PCI ECAM",
};

}  // namespace

bool is_system_ram_name(std::string_view name) { return name.substr(0, 10) == "System RAM"; }

Busy resource_busy(const IomemTree& tree, std::size_t index) {
    const IomemEntry& e = tree.entries[index];
    std::string_view name = e.name;
    if (is_system_ram_name(name)) {
        // A dax device's RAM with children would be odd, but RAM itself is always requested busy.
        return Busy::yes;
    }
    for (auto busy : kBusyNames)
        if (name == busy) return Busy::yes;
    for (auto free : kNonBusyNames)
        if (name == free || (free == "PCI Bus" && name.substr(0, 8) == "PCI Bus ")) return Busy::no;
    if (name == "Reserved") return e.first.value() < (1ull << 20) ? Busy::yes : Busy::no;
    // arm64: "reserved" below System RAM comes from reserve_region_with_split() (busy); at top level it
    // is no-map memory requested with IORESOURCE_MEM only.
    if (name == "reserved") return e.parent ? Busy::yes : Busy::no;
    if (starts_with_number_suffix(name, "CXL Window ") || starts_with_number_suffix(name, "region") ||
        starts_with_number_suffix(name, "dax") || starts_with_number_suffix(name, "hmem."))
        return Busy::no;
    if (starts_with_number_suffix(name, "namespace") || starts_with_number_suffix(name, "pmem")) return Busy::yes;
    return Busy::unknown;
}

HotplugRequestOutcome simulate_hotplug_request(const IomemTree& tree, AddrRange range, const KernelProfile& profile,
                                               std::optional<std::size_t> ignore) {
    HotplugRequestOutcome outcome;
    // The first entry of a level (the top, or an entry's children) that the range overlaps.
    const auto first_overlap = [&](const auto& level) -> std::optional<std::size_t> {
        for (const std::size_t child : level) {
            if (ignore && child == *ignore) continue;
            auto child_range = tree.entries[child].range();
            if (child_range && child_range->overlaps(range)) return child;
        }
        return std::nullopt;
    };
    std::optional<std::size_t> parent;
    std::optional<std::size_t> hit = first_overlap(tree.roots);
    for (;;) {
        if (!hit) {
            outcome.placed = true;
            outcome.parent = parent;
            return outcome;
        }
        const Busy busy = resource_busy(tree, *hit);
        const bool can_descend = profile.hotplug_ram_may_nest() && busy == Busy::no && tree.entries[*hit].range()->contains(range);
        if (!can_descend) {
            outcome.conflict = hit;
            outcome.conflict_busy = busy;
            return outcome;
        }
        parent = hit;
        hit = first_overlap(tree.children(*hit));
    }
}

}  // namespace bootmap
