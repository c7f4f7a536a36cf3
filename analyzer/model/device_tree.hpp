#pragma once
// A device tree as the kernel's early code sees it: nodes in blob order with their raw property
// bytes, the /memreserve/ block of the header, and where each node and property was written (the
// blob's byte offset, or the DTS file and line, including every file whose `&label { }` override
// touched it).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "core/source_location.hpp"

namespace bootmap {

// Most property values are a few cells (three in four of Linux 6.12's 2.5 million are at most 16
// bytes): kept inline, reading a tree costs one allocation per large value, not one per property.
using DtValue = boost::container::small_vector<std::uint8_t, 16>;

struct DtProperty {
    std::string name;
    DtValue value;
    std::vector<SourceLocation> where;  // first = definition, then overrides (DTS); empty for a DTB's property
    std::int64_t blob_offset = -1;       // a DTB's property: its byte offset in the blob (DtNode::location_of)

    [[nodiscard]] std::size_t cells() const { return value.size() / 4; }
    // Big-endian 32-bit cell i (the caller checks cells()).
    [[nodiscard]] std::uint32_t cell(std::size_t i) const;
    // The value read as NUL-separated strings (a stringlist); trailing garbage is ignored.
    [[nodiscard]] std::vector<std::string> strings() const;
};

struct DtNode {
    std::string name;  // full name with the unit address, as fdt_get_name() returns it ("fw@50000000")
    std::string path;  // "/reserved-memory/fw@50000000"
    std::vector<DtProperty> properties;
    std::vector<DtNode> children;
    std::vector<SourceLocation> where;

    [[nodiscard]] const DtProperty* property(std::string_view prop_name) const;
    [[nodiscard]] bool has(std::string_view prop_name) const { return property(prop_name) != nullptr; }
    [[nodiscard]] const DtNode* child(std::string_view child_name) const;
    // of_fdt_device_is_available(): no status, or "okay"/"ok".
    [[nodiscard]] bool available() const;
    // of_flat_dt_is_compatible(): one of the compatible strings equals `compat` (case-insensitively,
    // as the kernel compares).
    [[nodiscard]] bool compatible_with(std::string_view compat) const;
    // One u32 property; nullopt when absent or not exactly one cell... or longer (the kernel reads
    // the first cell of #address-cells without a length check, so do we).
    [[nodiscard]] std::optional<std::uint32_t> first_cell(std::string_view prop_name) const;
    [[nodiscard]] SourceLocation location() const { return where.empty() ? SourceLocation{} : where.front(); }
    [[nodiscard]] SourceLocation location_of(std::string_view prop_name) const;
    // Where one of its properties is: its definition in a source, its byte offset in a blob (a DTB
    // keeps no location per property: tens of thousands of them), else the node.
    [[nodiscard]] SourceLocation location_of(const DtProperty& prop) const;
};

// Trees are built by moving nodes and properties into vectors: a copy on every growth would copy
// whole subtrees (an inline small_vector of SourceLocation, for one, moves with a possible throw).
static_assert(std::is_nothrow_move_constructible_v<DtProperty> && std::is_nothrow_move_constructible_v<DtNode>);

struct DtMemReserve {
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    SourceLocation where;
};

struct DeviceTree {
    std::string source;                    // the file given (DTB or DTS)
    std::uint32_t total_size = 0;          // fdt_totalsize() of the blob (what the kernel reserves for it)
    std::vector<DtMemReserve> memreserve;  // header entries up to (not including) the first of size 0
    DtNode root;

    [[nodiscard]] const DtNode* find(std::string_view path) const;
    // A device tree overlay (a .dtbo, a /plugin/ source): fragments with an __overlay__ node, or the
    // __fixups__ dtc writes for one. It is applied to a base tree by the bootloader; it has no
    // memory node of its own to expect.
    [[nodiscard]] bool is_overlay() const;
};

// Reads `count` cells from `cells` starting at `index` as one big-endian number (dt_mem_next_cell()):
// the kernel keeps the low 64 bits when more than two cells are given.
std::uint64_t read_cells(const DtProperty& prop, std::size_t index, std::uint32_t count);

}  // namespace bootmap
