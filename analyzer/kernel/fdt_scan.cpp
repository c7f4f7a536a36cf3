#include "kernel/fdt_scan.hpp"

#include <fmt/format.h>

namespace bootmap {
namespace {

// (base, size) pairs of a property laid out in the root's cells; false when the length is not a
// whole number of pairs (the caller decides whether the kernel reads the whole pairs anyway).
bool read_pairs(const DtProperty& prop, std::uint32_t addr_cells, std::uint32_t size_cells, std::vector<std::pair<std::uint64_t, std::uint64_t>>& out) {
    const std::size_t pair = addr_cells + size_cells;
    if (pair == 0) return false;
    const std::size_t cells = prop.cells();
    for (std::size_t i = 0; i + pair <= cells; i += pair)
        out.emplace_back(read_cells(prop, i, addr_cells), read_cells(prop, i + addr_cells, size_cells));
    return prop.value.size() % (pair * 4) == 0;
}

// early_init_dt_add_memory_arch() with MIN_MEMBLOCK_ADDR 0 and MAX_MEMBLOCK_ADDR ~0 (arm64, riscv).
std::optional<std::pair<std::uint64_t, std::uint64_t>> trim_memory(std::uint64_t base, std::uint64_t size, std::uint64_t page,
                                                                   std::vector<std::string>& warnings) {
    const std::uint64_t in_page = base & (page - 1);
    if (size < page - in_page) {
        warnings.push_back(fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
        return std::nullopt;
    }
    if (in_page != 0) {
        size -= page - in_page;
        base += page - in_page;
    }
    size &= ~(page - 1);
    if (size == 0) return std::nullopt;
    // The kernel clips a range running past the top of the address space.
    if (base + size - 1 < base) size = ~std::uint64_t{0} - base + 1;
    return std::pair{base, size};
}

FdtReservedNode read_reserved_child(const DtNode& child, std::uint32_t addr_cells, std::uint32_t size_cells) {
    FdtReservedNode r;
    r.name = child.name;
    r.path = child.path;
    r.node = &child;
    r.available = child.available();
    if (const auto* reg = child.property("reg")) {
        r.has_reg = true;
        const std::size_t pair_bytes = std::size_t{addr_cells + size_cells} * 4;
        // The kernel accepts an empty reg (it reserves nothing) and refuses a ragged one.
        r.reg_length_invalid = pair_bytes == 0 || (!reg->value.empty() && reg->value.size() % pair_bytes != 0);
        if (!r.reg_length_invalid) read_pairs(*reg, addr_cells, size_cells, r.reg);
    }
    if (const auto* size = child.property("size")) {
        r.has_size = true;
        if (size->value.size() == std::size_t{size_cells} * 4)
            r.size = read_cells(*size, 0, size_cells);
        else
            r.size_length_invalid = true;
    }
    if (const auto* align = child.property("alignment")) {
        if (align->value.size() == std::size_t{addr_cells} * 4)
            r.alignment = read_cells(*align, 0, addr_cells);
        else
            r.alignment_length_invalid = true;
    }
    if (const auto* ranges = child.property("alloc-ranges"))
        r.alloc_ranges_invalid = !read_pairs(*ranges, addr_cells, size_cells, r.alloc_ranges);
    r.no_map = child.has("no-map");
    r.reusable = child.has("reusable");
    r.cma_default = child.has("linux,cma-default");
    r.dma_default = child.has("linux,dma-default");
    if (const auto* compat = child.property("compatible")) r.compatible = compat->strings();
    return r;
}

}  // namespace

namespace {

// early_init_dt_scan_memory(): every available memory node's usable-memory or reg, page-trimmed.
void early_init_dt_scan_memory(const DtNode& root, std::uint64_t page_size, FdtBootInfo& info) {
    for (const auto& node : root.children) {
        const auto* type = node.property("device_type");
        if (!type || type->strings().empty() || type->strings().front() != "memory") continue;
        if (!node.available()) continue;
        const DtProperty* reg = node.property("linux,usable-memory");
        const bool usable = reg != nullptr;
        if (!reg) reg = node.property("reg");
        if (!reg) continue;
        const bool hotpluggable = node.has("hotpluggable");
        std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
        read_pairs(*reg, info.addr_cells, info.size_cells, pairs);
        for (const auto& [base, size] : pairs) {
            if (size == 0) continue;
            const auto kept = trim_memory(base, size, page_size, info.memory_warnings);
            if (!kept) continue;
            info.memory.push_back({kept->first, kept->second, hotpluggable, node.path, node.location_of(*reg), usable,
                                   node.first_cell("numa-node-id")});
        }
    }
}

// early_init_dt_scan_chosen(): bootargs, the initrd, elfcorehdr, UEFI's marks, usable-memory-range.
void early_init_dt_scan_chosen(const DtNode& chosen, FdtBootInfo& info) {
    if (const auto* args = chosen.property("bootargs"); args && !args->value.empty()) {
        const auto strings = args->strings();
        info.chosen.bootargs = strings.empty() ? std::string() : strings.front();
        info.chosen.bootargs_where = chosen.location_of(*args);
    }
    const auto* start = chosen.property("linux,initrd-start");
    const auto* end = chosen.property("linux,initrd-end");
    if (start && end && start->cells() > 0 && end->cells() > 0) {
        const auto s = read_cells(*start, 0, static_cast<std::uint32_t>(start->cells()));
        const auto e = read_cells(*end, 0, static_cast<std::uint32_t>(end->cells()));
        if (s <= e) info.chosen.initrd = std::pair{s, e};
    }
    if (const auto* core = chosen.property("linux,elfcorehdr"); core && core->cells() >= info.addr_cells + info.size_cells)
        info.chosen.elfcorehdr = std::pair{read_cells(*core, 0, info.addr_cells), read_cells(*core, info.addr_cells, info.size_cells)};
    info.chosen.uefi = chosen.has("linux,uefi-mmap-start") || chosen.has("linux,uefi-system-table");
    if (const auto* usable = chosen.property("linux,usable-memory-range"))
        read_pairs(*usable, info.addr_cells, info.size_cells, info.chosen.usable_memory_range);
}

// fdt_scan_reserved_mem()'s first look: the node's cells and ranges must match the root's, and
// every child as written.
void scan_reserved_memory_node(const DtNode& rmem, FdtBootInfo& info) {
    auto& out = info.reserved_memory;
    out.present = true;
    const auto size_cells = rmem.first_cell("#size-cells");
    const auto addr_cells = rmem.first_cell("#address-cells");
    if (!size_cells || *size_cells != info.size_cells)
        out.format_problem = fmt::format("#size-cells is {} but the root's is {}", size_cells ? fmt::to_string(*size_cells) : "missing", info.size_cells);
    else if (!addr_cells || *addr_cells != info.addr_cells)
        out.format_problem = fmt::format("#address-cells is {} but the root's is {}", addr_cells ? fmt::to_string(*addr_cells) : "missing", info.addr_cells);
    else if (!rmem.has("ranges"))
        out.format_problem = "it has no ranges property";
    out.format_ok = out.format_problem.empty();
    for (const auto& child : rmem.children) out.children.push_back(read_reserved_child(child, info.addr_cells, info.size_cells));
}

}  // namespace

FdtBootInfo scan_fdt(const DeviceTree& tree, std::uint64_t page_size) {
    FdtBootInfo info;
    info.blob_size = tree.total_size;
    info.memreserve = tree.memreserve;
    const DtNode& root = tree.root;
    if (const auto cells = root.first_cell("#size-cells")) info.size_cells = *cells;
    if (const auto cells = root.first_cell("#address-cells")) info.addr_cells = *cells;
    early_init_dt_scan_memory(root, page_size, info);
    if (const DtNode* cpus = tree.find("/cpus"))
        for (const auto& cpu : cpus->children)
            if (cpu.name.rfind("cpu@", 0) == 0 && cpu.has("numa-node-id")) info.cpu_numa_ids = true;
    const DtNode* chosen = tree.find("/chosen");
    if (!chosen) chosen = tree.find("/chosen@0");
    if (chosen) early_init_dt_scan_chosen(*chosen, info);
    if (const DtNode* rmem = tree.find("/reserved-memory")) scan_reserved_memory_node(*rmem, info);
    return info;
}

}  // namespace bootmap
