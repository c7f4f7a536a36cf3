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

constexpr std::string_view kDamagedHint = "the blob is damaged or truncated; rebuild it with dtc or dump it again";

// One pass over the structure block's tags, each read once: it checks what fdt_check_full() checks
// (that pass alone cost a third of reading a tree) and builds the tree in the same walk. libfdt's
// node and property iterators would read every property tag three times over, its subnode iteration
// every subtree again at each level above it. Every read is bounds-checked by libfdt. Nodes under
// construction wait on a stack and join their parent when the walk leaves them.
struct Walker {
    const void* fdt;
    std::string_view source;
    std::uint64_t struct_base;

    [[nodiscard]] SourceLocation at(int offset) const { return at_offset(source, struct_base + static_cast<std::uint64_t>(offset)); }

    // What fdt_check_full() would say, at the tag where the blob goes wrong.
    [[nodiscard]] InputError refuse(int offset, int err, std::string_view what) const {
        return {at(offset), fmt::format("libfdt refuses the blob: {} ({})", fdt_strerror(err), what), std::string(kDamagedHint)};
    }

    // One FDT_PROP tag at `offset` (fdt_next_tag has checked that its value lies in the block).
    bool read_property(int offset, DtProperty& out, InputError& error) const {
        const auto* prop = static_cast<const struct fdt_property*>(fdt_offset_ptr(fdt, offset, sizeof(struct fdt_property)));
        if (prop == nullptr) {
            error = refuse(offset, -FDT_ERR_TRUNCATED, "a property header runs past the structure block");
            return false;
        }
        const int length = static_cast<int>(fdt32_to_cpu(prop->len));
        int name_length = 0;
        const char* name = fdt_get_string(fdt, static_cast<int>(fdt32_to_cpu(prop->nameoff)), &name_length);
        if (name == nullptr) {
            error = refuse(offset, name_length, "a property name outside the strings block");
            return false;
        }
        int data_offset = offset + static_cast<int>(sizeof(struct fdt_property));
        // Blobs before version 16 align values of 8 bytes or more to 8 (fdt_getprop_by_offset's rule).
        if (fdt_version(fdt) < 0x10 && length >= 8 && data_offset % 8 != 0) data_offset += 4;
        const void* data = length >= 0 ? fdt_offset_ptr(fdt, data_offset, length) : nullptr;
        if (data == nullptr) {
            error = refuse(offset, -FDT_ERR_TRUNCATED, "a property value runs past the structure block");
            return false;
        }
        out.name.assign(name, static_cast<std::size_t>(name_length));
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        out.value.assign(bytes, bytes + length);
        out.blob_offset = static_cast<std::int64_t>(struct_base + static_cast<std::uint64_t>(offset));
        return true;
    }

    // The tree's root, or false with the error.
    bool read_tree(DtNode& root, InputError& error) const {
        std::vector<DtNode> open;  // open[d] is the node being read at depth d
        // kids[d]: the finished children of open[d], moved into it at their exact count when it closes.
        std::vector<std::vector<DtNode>> kids;
        // The properties of open.back() read so far, moved into it at their exact count: one
        // allocation per node, not a vector's growth (a large tree has tens of thousands of nodes).
        std::vector<DtProperty> props;
        const auto settle_properties = [&] {
            if (props.empty()) return;
            auto& mine = open.back().properties;
            mine.reserve(mine.size() + props.size());
            std::move(props.begin(), props.end(), std::back_inserter(mine));
            props.clear();
        };
        const auto adopt = [&kids](DtNode& node, std::size_t depth) {
            auto& mine = kids[depth];
            node.children.reserve(mine.size());
            std::move(mine.begin(), mine.end(), std::back_inserter(node.children));
            mine.clear();
        };
        bool root_done = false;
        for (int offset = 0;;) {
            int next = 0;
            const std::uint32_t tag = fdt_next_tag(fdt, offset, &next);
            if (next < 0) {
                error = refuse(offset, next, "a tag that is unknown or runs past the structure block");
                return false;
            }
            if (root_done && tag != FDT_END) {
                error = refuse(offset, -FDT_ERR_BADSTRUCTURE, "more after the root node");
                return false;
            }
            if (tag == FDT_BEGIN_NODE) {
                if (open.size() > static_cast<std::size_t>(kMaxDepth)) {
                    error = {at(offset), fmt::format("nodes nested deeper than {} levels", kMaxDepth), {}};
                    return false;
                }
                // fdt_next_tag has checked that the name ends within the block.
                const char* name = static_cast<const char*>(fdt_offset_ptr(fdt, offset + FDT_TAGSIZE, 1));
                DtNode node;
                if (open.empty()) {
                    if (name == nullptr || *name != '\0') {
                        error = refuse(offset, -FDT_ERR_BADSTRUCTURE, "the root node has a name");
                        return false;
                    }
                    node.path = "/";
                } else {
                    settle_properties();
                    node.name = name != nullptr ? std::string(name) : std::string();
                    const std::string& parent_path = open.back().path;
                    node.path.reserve(parent_path.size() + 1 + node.name.size());
                    node.path.append(parent_path == "/" ? "" : parent_path).append("/").append(node.name);
                }
                node.where.push_back(at(offset));
                open.push_back(std::move(node));
                if (kids.size() < open.size()) kids.resize(open.size());
            } else if (tag == FDT_PROP) {
                if (open.empty()) {
                    error = refuse(offset, -FDT_ERR_BADSTRUCTURE, "a property before the root node");
                    return false;
                }
                if (!read_property(offset, props.emplace_back(), error)) return false;
            } else if (tag == FDT_END_NODE) {
                if (open.empty()) {
                    error = refuse(offset, -FDT_ERR_BADSTRUCTURE, "the end of a node never begun");
                    return false;
                }
                settle_properties();
                DtNode done = std::move(open.back());
                open.pop_back();
                adopt(done, open.size());
                if (open.empty()) {
                    root = std::move(done);
                    root_done = true;
                } else {
                    kids[open.size() - 1].push_back(std::move(done));
                }
            } else if (tag == FDT_END) {
                if (root_done) return true;
                error = refuse(offset, -FDT_ERR_BADSTRUCTURE, open.empty() ? "no root node" : "the block ends inside a node");
                return false;
            }
            offset = next;  // FDT_NOP: nothing to read
        }
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
    // The header and the reservation block as fdt_check_full() checks them; the structure block is
    // checked by the walk that reads it.
    int reservations = fdt_check_header(fdt);
    if (reservations == 0) reservations = fdt_num_mem_rsv(fdt);
    if (reservations < 0)
        return InputError{whole, fmt::format("libfdt refuses the blob: {}", fdt_strerror(reservations)), std::string(kDamagedHint)};
    DeviceTree tree;
    tree.source = std::string(source_name);
    tree.total_size = total;
    for (int n = 0; n < reservations; ++n) {
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        if (fdt_get_mem_rsv(fdt, n, &address, &size) != 0) break;
        // The kernel stops at the first entry of size 0, so do we.
        if (size == 0) break;
        tree.memreserve.push_back({address, size, at_offset(source_name, fdt_off_mem_rsvmap(fdt) + static_cast<std::uint64_t>(n) * 16)});
    }
    InputError error;
    const Walker walker{fdt, source_name, fdt_off_dt_struct(fdt)};
    if (!walker.read_tree(tree.root, error)) return error;
    return tree;
}

}  // namespace bootmap
