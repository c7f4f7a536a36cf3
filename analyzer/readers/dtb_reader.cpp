#include "readers/dtb_reader.hpp"

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

struct Walker {
    const void* fdt;
    std::string_view source;
    std::uint64_t struct_base;

    bool fill(int offset, DtNode& node, int depth, InputError& error) const {
        if (depth > kMaxDepth) {
            error = {at_offset(source, struct_base + static_cast<std::uint64_t>(offset)), fmt::format("nodes nested deeper than {} levels", kMaxDepth), {}};
            return false;
        }
        node.where.push_back(at_offset(source, struct_base + static_cast<std::uint64_t>(offset)));
        int prop;
        fdt_for_each_property_offset(prop, fdt, offset) {
            const char* name = nullptr;
            int len = 0;
            const void* data = fdt_getprop_by_offset(fdt, prop, &name, &len);
            if (!data || !name || len < 0) {
                error = {at_offset(source, struct_base + static_cast<std::uint64_t>(prop)), "unreadable property", {}};
                return false;
            }
            DtProperty p;
            p.name = name;
            const auto* bytes = static_cast<const std::uint8_t*>(data);
            p.value.assign(bytes, bytes + len);
            p.where.push_back(at_offset(source, struct_base + static_cast<std::uint64_t>(prop)));
            node.properties.push_back(std::move(p));
        }
        int child;
        fdt_for_each_subnode(child, fdt, offset) {
            DtNode c;
            int len = 0;
            const char* name = fdt_get_name(fdt, child, &len);
            c.name = name ? std::string(name, static_cast<std::size_t>(len)) : std::string();
            c.path = (node.path == "/" ? "" : node.path) + "/" + c.name;
            if (!fill(child, c, depth + 1, error)) return false;
            node.children.push_back(std::move(c));
        }
        return true;
    }
};

}  // namespace

bool looks_like_dtb(std::string_view bytes) { return bytes.size() >= 4 && be32_at(bytes, 0) == FDT_MAGIC; }

Result<DeviceTree> read_dtb(std::string_view source_name, std::string_view bytes) {
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
    if (!walker.fill(0, tree.root, 0, error)) return error;
    return tree;
}

}  // namespace bootmap
