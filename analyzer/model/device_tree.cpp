#include "model/device_tree.hpp"

#include <algorithm>
#include <cctype>

namespace bootmap {

std::uint32_t DtProperty::cell(std::size_t i) const {
    const auto* p = value.data() + i * 4;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

std::vector<std::string> DtProperty::strings() const {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != 0) continue;
        out.emplace_back(reinterpret_cast<const char*>(value.data() + start), i - start);
        start = i + 1;
    }
    return out;
}

const DtProperty* DtNode::property(std::string_view prop_name) const {
    for (const auto& p : properties)
        if (p.name == prop_name) return &p;
    return nullptr;
}

const DtNode* DtNode::child(std::string_view child_name) const {
    for (const auto& c : children)
        if (c.name == child_name) return &c;
    return nullptr;
}

bool DtNode::available() const {
    const auto* status = property("status");
    if (!status) return true;
    const auto values = status->strings();
    if (values.empty()) return false;
    return values.front() == "okay" || values.front() == "ok";
}

bool DtNode::compatible_with(std::string_view compat) const {
    const auto* prop = property("compatible");
    if (!prop) return false;
    const auto equal_nocase = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
               });
    };
    for (const auto& s : prop->strings())
        if (equal_nocase(s, compat)) return true;
    return false;
}

std::optional<std::uint32_t> DtNode::first_cell(std::string_view prop_name) const {
    const auto* prop = property(prop_name);
    if (!prop || prop->cells() < 1) return std::nullopt;
    return prop->cell(0);
}

SourceLocation DtNode::location_of(std::string_view prop_name) const {
    const auto* prop = property(prop_name);
    return prop ? location_of(*prop) : location();
}

SourceLocation DtNode::location_of(const DtProperty& prop) const {
    if (!prop.where.empty()) return prop.where.front();
    SourceLocation at = location();
    if (prop.blob_offset >= 0) {
        at.line = 0;
        at.column = 0;
        at.byte_offset = static_cast<std::uint64_t>(prop.blob_offset);
    }
    return at;
}

const DtNode* DeviceTree::find(std::string_view path) const {
    if (path.empty() || path.front() != '/') return nullptr;
    const DtNode* node = &root;
    std::size_t pos = 1;
    while (pos < path.size()) {
        const auto next = path.find('/', pos);
        const auto part = path.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        if (!part.empty()) {
            // fdt_path_offset() matches a component without a unit address against "name@unit" too.
            const DtNode* found = node->child(part);
            if (!found && part.find('@') == std::string_view::npos)
                for (const auto& c : node->children)
                    if (c.name.size() > part.size() && c.name.compare(0, part.size(), part) == 0 && c.name[part.size()] == '@') {
                        found = &c;
                        break;
                    }
            if (!found) return nullptr;
            node = found;
        }
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    return node;
}

std::uint64_t read_cells(const DtProperty& prop, std::size_t index, std::uint32_t count) {
    std::uint64_t value = 0;
    for (std::uint32_t i = 0; i < count; ++i) value = (value << 32) | prop.cell(index + i);
    return value;
}

bool DeviceTree::is_overlay() const {
    for (const auto& child : root.children) {
        if (child.name == "__fixups__" || child.name == "__local_fixups__") return true;
        if ((child.name == "fragment" || child.name.starts_with("fragment@")) && child.child("__overlay__")) return true;
    }
    return false;
}

}  // namespace bootmap
