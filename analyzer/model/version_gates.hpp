#pragma once
// Where modelled kernel behaviour changes between releases: one table, each gate with the release
// that brought it, the stable sublevel of an older series that took it in its middle (Debian's
// 6.12.y backports), and the evidence. KernelProfile answers every version question from it;
// `bootmap gates`, `--version`, the man page and README's table are printed from it.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/kernel_version.hpp"

namespace bootmap {

enum class Gate {
    zone_device,
    sort_double_pop,
    hotplug_ram_nests,
    kmem_driver_managed_name,
    arm64_sections_128m,
    efi_mmio_leaves_e820,
    rmem_info_line,
    memreserve_last,
    memblock_debugfs_node_flags,
    cma_line_names_node,
    crashkernel_default_low,
    efi_fake_mem_removed,
    numa_memblks,
    srat_cpu_lines_debug,
    hugetlb_cma_gigantic_align,
    arm64_zone_device,
    arm64_numa_silent_fake,
    rmem_restructured,
    rmem_dynamic_array,
    elfcorehdr_first,
    rmem_ties_unordered,
    cma_line_without_node,
    rmem_first_range_only,
    cma_nomap_reusable,
    memblock_rsv_kern,  // the last: tests walk the enum up to it
};

struct GateRecord {
    Gate gate;
    std::string_view id;                  // stable name, for `bootmap gates` and the docs
    KernelVersion mainline;               // the first release that has it
    std::optional<KernelVersion> stable;  // the first sublevel of an older series that took it
    std::string_view behaviour;
    std::string_view evidence;            // commit, source compared, captures that show it
    bool modelled = true;                 // false: the era is named and an assumption printed, not replayed
};

std::span<const GateRecord> version_gates();
const GateRecord& gate_record(Gate gate);
// Whether `version` has the behaviour: at least the mainline release, or a sublevel of the series
// that took it at least `stable` (an unknown sublevel counting as the series' newest).
bool gate_open(Gate gate, const KernelVersion& version);

// The table as text (`--version`, the man page) and as Markdown (README); with `version`, a column
// saying which gates that kernel has.
std::string version_gates_text(const std::optional<KernelVersion>& version = std::nullopt);
std::string version_gates_markdown();

}  // namespace bootmap
