#pragma once
// What changed between two memory layouts of the same kind: two /proc/iomem dumps (a prediction and
// the capture after reboot, or two configurations), or two e820 maps. Resources are matched by
// their path of names from the top ("System RAM/Kernel code") and, among equal paths, by order;
// a match that lies elsewhere moved, one of another size was resized, the rest appeared or vanished.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "kernel/x86_boot.hpp"
#include "kernel/zones.hpp"
#include "model/e820.hpp"
#include "model/iomem.hpp"

namespace bootmap {

// One resource of a layout, as the diff sees it.
struct LayoutItem {
    // The path of names from the top level down: its identity (a hash of the whole path, so that
    // a dump nested tens of thousands deep costs no path copies) and, in its Layout, how it is shown
    // (joined by '/', the middle of a path deeper than seven names elided as '…').
    std::array<std::uint64_t, 2> key{};
    AddrRange range;
    std::uint32_t line = 0;  // in its file
    std::uint32_t path_length = 0;
    std::uint64_t path_offset = 0;  // in Layout::paths
};

// A layout: its items, and their shown paths in one string (a million items hold no string each).
struct Layout {
    std::vector<LayoutItem> items;
    std::string paths;

    // Keeps `path` and returns where it starts.
    std::uint64_t store(std::string_view path) {
        const std::uint64_t at = paths.size();
        paths.append(path);
        return at;
    }
    void add(std::array<std::uint64_t, 2> key, std::string_view path, AddrRange range, std::uint32_t line) {
        items.push_back({key, range, line, static_cast<std::uint32_t>(path.size()), store(path)});
    }
    [[nodiscard]] std::string_view path(const LayoutItem& item) const { return std::string_view(paths).substr(item.path_offset, item.path_length); }
};

Layout layout_items(const IomemTree& tree);
Layout layout_items(const E820Table& table);
// A boot as its log records it, replayed: the map it ended with, its crash kernel, its zones and
// NUMA nodes ("zone Normal", "node 1"), so that two logs differ where their boots did.
Layout layout_items(const X86Boot& boot, const KernelCommandLine* cmdline, const KernelProfile& profile);

// Only what `bootmap predict --emit iomem` models, to hold a real dump to a prediction: entries named
// by an e820 type at any depth (the kernel nests some under PCI windows), each keyed by its own name;
// the top-level "reserved" of arm64; and the "Crash kernel" and "reserved" children of System RAM.
Layout predicted_layout_items(const IomemTree& tree);

// arm64's "System RAM/reserved" children are partly the kernel's own early allocations (its init
// section, the initrd, the DTB, memblock's), which no prediction places: of the real layout's, keep
// those that meet one the prediction has.
void keep_predictable_reservations(const Layout& predicted, Layout& real);

enum class LayoutChangeKind { moved, resized, changed, appeared, vanished };

struct LayoutChange {
    LayoutChangeKind kind;
    std::string path;
    std::optional<AddrRange> before;  // absent for `appeared`
    std::optional<AddrRange> after;   // absent for `vanished`
    std::uint32_t line_before = 0;
    std::uint32_t line_after = 0;
};

// Changes in address order (of the range before, else after); empty when the layouts are equal.
std::vector<LayoutChange> diff_layouts(const Layout& before, const Layout& after);

}  // namespace bootmap
