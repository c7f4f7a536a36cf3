#include "readers/dtb_reader.hpp"

#include <iterator>

#include <cstring>
#include <vector>

#include <fmt/format.h>

extern "C" {
#include <libfdt.h>
}

namespace bootmap {
namespace {

constexpr std::size_t kHeaderBytes = sizeof(fdt_header);
// Deeper trees than this are not real hardware; the bound keeps recursion finite on hostile blobs
// (fdt_check_full already refuses cycles, but not depth).
constexpr int kMaxDepth = 64;

std::uint32_t be32_at(std::string_view bytes, std::size_t offset) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + offset;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

SourceLocation at_offset(std::string_view source, std::uint64_t offset) {
    SourceLocation where{std::string(source)};
    where.byte_offset = offset;
    return where;
}

// One pass over the structure block in pre-order (libfdt's subnode iteration would walk every
// subtree again at each level above it). Nodes under construction wait on a stack and join their
// parent when the walk leaves them.
struct Walker {
    const void* fdt;
    std::string_view source;
    std::uint64_t struct_base;

    [[nodiscard]] SourceLocation at(int offset) const { return at_offset(source, struct_base + static_cast<std::uint64_t>(offset)); }

    // Properties are gathered here and moved into their node at its exact count: one allocation per
    // node, not the growth of a vector per node (a large tree has tens of thousands of nodes).
    mutable std::vector<DtProperty> scratch;

    bool read_properties(int offset, DtNode& node, InputError& error) const {
        node.where.push_back(at(offset));
        scratch.clear();
        int prop;
        fdt_for_each_property_offset(prop, fdt, offset) {
            const char* name = nullptr;
            int len = 0;
            const void* data = fdt_getprop_by_offset(fdt, prop, &name, &len);
            if (!data || !name || len < 0) {
                error = {at(prop), "unreadable property", {}};
                return false;
            }
            DtProperty p;
            p.name = name;
            const auto* bytes = static_cast<const std::uint8_t*>(data);
            p.value.assign(bytes, bytes + len);
            p.blob_offset = static_cast<std::int64_t>(struct_base + static_cast<std::uint64_t>(prop));
            scratch.push_back(std::move(p));
        }
        node.properties.reserve(scratch.size());
        std::move(scratch.begin(), scratch.end(), std::back_inserter(node.properties));
        return true;
    }

    bool read_tree(DtNode& root, InputError& error) const {
        std::vector<DtNode> open;  // open[d] is the node being read at depth d
        // kids[d]: the finished children of open[d], moved into it at their exact count when it closes.
        std::vector<std::vector<DtNode>> kids(1);
        open.push_back(std::move(root));
        if (!read_properties(0, open.back(), error)) return false;
        const auto adopt = [&kids](DtNode& node, std::size_t depth) {
            auto& mine = kids[depth];
            node.children.reserve(mine.size());
            std::move(mine.begin(), mine.end(), std::back_inserter(node.children));
            mine.clear();
        };
        const auto close = [&] {
            DtNode done = std::move(open.back());
            open.pop_back();
            adopt(done, open.size());
            kids[open.size() - 1].push_back(std::move(done));
        };
        int depth = 0;
        int offset = fdt_next_node(fdt, 0, &depth);
        for (; offset >= 0 && depth > 0; offset = fdt_next_node(fdt, offset, &depth)) {
            while (open.size() > static_cast<std::size_t>(depth)) close();
            if (depth > kMaxDepth) {
                error = {at(offset), fmt::format("nodes nested deeper than {} levels", kMaxDepth), {}};
                return false;
            }
            DtNode node;
            int len = 0;
            const char* name = fdt_get_name(fdt, offset, &len);
            node.name = name ? std::string(name, static_cast<std::size_t>(len)) : std::string();
            const std::string& parent_path = open.back().path;
            node.path = (parent_path == "/" ? "" : parent_path) + "/" + node.name;
            if (!read_properties(offset, node, error)) return false;
            open.push_back(std::move(node));
            if (kids.size() < open.size()) kids.resize(open.size());
        }
        if (offset < 0 && offset != -FDT_ERR_NOTFOUND) {
            error = {at(0), fmt::format("libfdt cannot walk the structure block: {}", fdt_strerror(offset)), {}};
            return false;
        }
        while (open.size() > 1) close();
        adopt(open.front(), 0);
        root = std::move(open.front());
        return true;
    }
};

constexpr std::uint32_t kDtTableMagic = 0xd7b7ab1e;  // Android's dt_table (dtbo.img / dtb.img)
constexpr std::size_t kDtTableHeaderBytes = 32;
constexpr std::size_t kDtTableEntryBytes = 32;

// The first blob of an Android dt_table: header {magic, total_size, header_size, dt_entry_size,
// dt_entry_count, dt_entries_offset, page_size, version}, entries {dt_size, dt_offset, id, rev, custom[4]}.
Result<std::pair<std::size_t, std::size_t>> first_dt_table_entry(std::string_view source, std::string_view bytes) {
    if (bytes.size() < kDtTableHeaderBytes)
        return InputError{at_offset(source, 0), fmt::format("expected an Android dt_table header of {} bytes, found {}", kDtTableHeaderBytes, bytes.size()), {}};
    const std::uint32_t entry_size = be32_at(bytes, 12);
    const std::uint32_t count = be32_at(bytes, 16);
    const std::uint32_t entries = be32_at(bytes, 20);
    if (count == 0) return InputError{at_offset(source, 16), "the Android dt_table holds no device tree", {}};
    if (entry_size < kDtTableEntryBytes || entries > bytes.size() || bytes.size() - entries < kDtTableEntryBytes)
        return InputError{at_offset(source, 20), fmt::format("the dt_table entry at offset {} lies outside the {}-byte file", entries, bytes.size()), {}};
    const std::uint32_t dt_size = be32_at(bytes, entries);
    const std::uint32_t dt_offset = be32_at(bytes, entries + 4);
    if (dt_offset > bytes.size() || bytes.size() - dt_offset < dt_size)
        return InputError{at_offset(source, entries + 4),
                          fmt::format("the first device tree of the dt_table ({} bytes at offset {}) lies outside the {}-byte file", dt_size, dt_offset, bytes.size()), {}};
    return std::pair<std::size_t, std::size_t>{dt_offset, dt_size};
}

}  // namespace

bool looks_like_dtb(std::string_view bytes) { return bytes.size() >= 4 && be32_at(bytes, 0) == FDT_MAGIC; }

static Result<DeviceTree> read_plain_dtb(std::string_view source_name, std::string_view bytes);

Result<DeviceTree> read_dtb(std::string_view source_name, std::string_view bytes) {
    if (bytes.size() >= 4 && be32_at(bytes, 0) == kDtTableMagic) {
        // An Android image of device trees: the first is the board's (bootloaders pick by id). What
        // it wraps must be a plain blob; a table inside a table (or one pointing at itself) is not.
        const auto entry = first_dt_table_entry(source_name, bytes);
        if (!entry) return entry.error();
        auto tree = read_plain_dtb(source_name, bytes.substr(entry.value().first, entry.value().second));
        if (!tree) {
            auto error = tree.error();
            if (error.where.byte_offset) error.where.byte_offset = *error.where.byte_offset + entry.value().first;
            return error;
        }
        return tree;
    }
    return read_plain_dtb(source_name, bytes);
}

static Result<DeviceTree> read_plain_dtb(std::string_view source_name, std::string_view bytes) {
    const auto whole = at_offset(source_name, 0);
    if (bytes.size() < kHeaderBytes)
        return InputError{whole, fmt::format("expected a device tree blob header of {} bytes, found {} bytes", kHeaderBytes, bytes.size()), {}};
    if (!looks_like_dtb(bytes))
        return InputError{whole, fmt::format("expected the device tree magic d00dfeed, found {:08x}", be32_at(bytes, 0)),
                          "give a DTS with --dts, or a DTB (the .dtb file, /sys/firmware/fdt, or `dtc -O dtb` output)"};
    const std::uint32_t total = be32_at(bytes, 4);
    if (total > bytes.size())
        return InputError{at_offset(source_name, 4),
                          fmt::format("the header says the blob is {} bytes, but the file has only {}: truncated", total, bytes.size()), {}};
    if (total < kHeaderBytes)
        return InputError{at_offset(source_name, 4), fmt::format("the header says the blob is {} bytes, smaller than the header itself", total), {}};
    // libfdt wants 8-byte alignment for the blob; a private copy guarantees it.
    std::vector<std::uint64_t> aligned((total + 7) / 8);
    std::memcpy(aligned.data(), bytes.data(), total);
    const void* fdt = aligned.data();
    if (const int err = fdt_check_full(fdt, total); err != 0) {
        return InputError{whole, fmt::format("libfdt refuses the blob: {}", fdt_strerror(err)),
                          "the blob is damaged or truncated; rebuild it with dtc or dump it again"};
    }
    DeviceTree tree;
    tree.source = std::string(source_name);
    tree.total_size = total;
    const int reservations = fdt_num_mem_rsv(fdt);
    for (int n = 0; n < reservations; ++n) {
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        if (fdt_get_mem_rsv(fdt, n, &address, &size) != 0) break;
        // The kernel stops at the first entry of size 0, so do we.
        if (size == 0) break;
        tree.memreserve.push_back({address, size, at_offset(source_name, fdt_off_mem_rsvmap(fdt) + static_cast<std::uint64_t>(n) * 16)});
    }
    tree.root.name = "";
    tree.root.path = "/";
    InputError error;
    const Walker walker{fdt, source_name, fdt_off_dt_struct(fdt)};
    if (!walker.read_tree(tree.root, error)) return error;
    return tree;
}

}  // namespace bootmap
