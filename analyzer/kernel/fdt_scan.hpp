#pragma once
// What the kernel's early flat-tree code (drivers/of/fdt.c) takes from a device tree before memblock
// is set up: the root's cell sizes, the RAM of the memory nodes, /chosen (command line, initrd,
// crash-dump properties), the /memreserve/ block and the children of /reserved-memory with the
// properties the reserved_mem code reads. Nothing here decides placement; it only reads, with the
// kernel's own tolerance (and silence) for malformed values, recording what it skipped and why.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/source_location.hpp"
#include "model/device_tree.hpp"

namespace bootmap {

struct FdtMemoryRange {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    bool hotpluggable = false;
    std::string node;  // path of the memory node
    SourceLocation where;
    bool from_usable_memory = false;  // linux,usable-memory replaced reg
    std::optional<std::uint32_t> nid;  // numa-node-id of the memory node
};

// One child of /reserved-memory as the scan sees it.
struct FdtReservedNode {
    std::string name;  // fdt_get_name(): with the unit address
    std::string path;
    const DtNode* node = nullptr;
    bool available = true;
    // reg entries, in order (the kernel reserves every one but records only the first).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reg;
    bool has_reg = false;
    bool reg_length_invalid = false;  // not a multiple of the root's (address+size) cells
    bool has_size = false;
    std::optional<std::uint64_t> size;       // when the length is exactly #size-cells
    bool size_length_invalid = false;
    std::optional<std::uint64_t> alignment;  // when the length is exactly #address-cells
    bool alignment_length_invalid = false;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> alloc_ranges;  // (start, size)
    bool alloc_ranges_invalid = false;
    bool no_map = false;
    bool reusable = false;
    bool cma_default = false;  // linux,cma-default
    bool dma_default = false;  // linux,dma-default
    std::vector<std::string> compatible;
};

struct FdtReservedMemory {
    bool present = false;
    bool format_ok = false;  // cells equal to the root's and a ranges property
    std::string format_problem;
    std::vector<FdtReservedNode> children;  // tree order, unavailable ones included (flagged)
};

struct FdtChosen {
    std::optional<std::string> bootargs;
    SourceLocation bootargs_where;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> initrd;  // start, end (exclusive)
    std::optional<std::pair<std::uint64_t, std::uint64_t>> elfcorehdr;  // base, size
    std::vector<std::pair<std::uint64_t, std::uint64_t>> usable_memory_range;
    // linux,uefi-mmap-start / linux,uefi-system-table: the EFI stub wrote this /chosen, and memory
    // comes from the EFI memory map, not from /memory nodes (which the stub deleted).
    bool uefi = false;
};

struct FdtBootInfo {
    std::uint32_t addr_cells = 1;  // OF_ROOT_NODE_ADDR_CELLS_DEFAULT when the root has none
    std::uint32_t size_cells = 1;
    std::vector<FdtMemoryRange> memory;
    std::vector<std::string> memory_warnings;  // "Ignoring memory block ..." lines
    std::vector<DtMemReserve> memreserve;
    FdtChosen chosen;
    FdtReservedMemory reserved_memory;
    std::uint32_t blob_size = 0;
    // numa-node-id on /cpus/cpu* nodes: of_numa_parse_cpu_nodes() marks those nodes parsed.
    bool cpu_numa_ids = false;
};

// page_size: the profile's, for early_init_dt_add_memory_arch()'s trimming.
FdtBootInfo scan_fdt(const DeviceTree& tree, std::uint64_t page_size);

}  // namespace bootmap
