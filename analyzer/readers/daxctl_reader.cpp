#include "readers/daxctl_reader.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace bootmap {
namespace {

using nlohmann::json;

SourceLocation at_offset(std::string_view source, std::string_view text, std::size_t offset) { return text_location_at(source, text, offset); }

// An integer, or a string of one ("0x102200000", "4294967296").
std::optional<std::uint64_t> number(const json& v) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < 0) return std::nullopt;
        return static_cast<std::uint64_t>(i);
    }
    if (!v.is_string()) return std::nullopt;
    std::string_view s = v.get_ref<const std::string&>();
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    std::uint64_t out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return out;
}

class Walker {
public:
    Walker(std::string_view source, std::string_view text) : source_(source), text_(text) {}

    std::optional<InputError> walk(const json& node) {
        if (node.is_array()) {
            for (const auto& item : node)
                if (auto e = walk(item)) return e;
            return std::nullopt;
        }
        if (!node.is_object()) return std::nullopt;
        if (node.contains("chardev")) return device(node);
        // Regions list their devices; ndctl's namespaces nest a dax region.
        for (const char* key : {"devices", "daxregion", "regions", "namespaces"})
            if (node.contains(key))
                if (auto e = walk(node.at(key))) return e;
        return std::nullopt;
    }

    DaxListing listing;

private:
    std::string_view source_;
    std::string_view text_;
    std::size_t search_from_ = 0;

    // Where the device's "chardev" key is written (devices are visited in file order).
    SourceLocation locate(const std::string& name) {
        const std::string key = "\"chardev\"";
        std::size_t at = text_.find(key, search_from_);
        while (at != std::string_view::npos) {
            const auto value = text_.find('"' + name + '"', at + key.size());
            const auto next_key = text_.find(key, at + key.size());
            if (value != std::string_view::npos && (next_key == std::string_view::npos || value < next_key)) break;
            at = next_key;
        }
        if (at == std::string_view::npos) return SourceLocation{std::string(source_)};
        search_from_ = at + key.size();
        return at_offset(source_, text_, at);
    }

    std::optional<InputError> device(const json& node) {
        DaxDeviceListing d;
        if (!node.at("chardev").is_string())
            return InputError{SourceLocation{std::string(source_)}, "expected \"chardev\" to be a device name such as \"dax0.0\"", {}};
        d.name = node.at("chardev").get<std::string>();
        d.where = locate(d.name);
        if (node.contains("mode") && node.at("mode").is_string()) d.mode = node.at("mode").get<std::string>();
        if (node.contains("target_node") && node.at("target_node").is_number_integer()) d.target_node = node.at("target_node").get<std::int64_t>();
        if (node.contains("online_memblocks")) d.online_blocks = number(node.at("online_memblocks"));
        if (node.contains("total_memblocks")) d.total_blocks = number(node.at("total_memblocks"));
        const auto size = node.contains("size") ? number(node.at("size")) : std::nullopt;
        if (size && *size == 0) return std::nullopt;  // an idle seed device: nothing to audit
        if (!node.contains("mappings") || !node.at("mappings").is_array() || node.at("mappings").empty())
            return InputError{d.where, fmt::format("expected the physical ranges of '{}' (\"mappings\"); this listing has none", d.name),
                              "list the devices with `daxctl list -M` (or -RDM)"};
        for (const auto& m : node.at("mappings")) {
            const auto start = m.is_object() && m.contains("start") ? number(m.at("start")) : std::nullopt;
            const auto end = m.is_object() && m.contains("end") ? number(m.at("end")) : std::nullopt;
            const auto range = start && end ? AddrRange::from_inclusive(PhysAddr{*start}, PhysAddr{*end}) : std::nullopt;
            if (!range)
                return InputError{d.where, fmt::format("expected each mapping of '{}' to have a \"start\" and an inclusive \"end\" address at or above it", d.name), {}};
            d.mappings.push_back(*range);
        }
        listing.devices.push_back(std::move(d));
        return std::nullopt;
    }
};

}  // namespace

Result<DaxListing> read_daxctl_list(std::string_view source_name, std::string_view text) {
    json doc;
    // nlohmann reports malformed text as parse_error (with its byte) and a number too large for
    // 64 bits as out_of_range; both are input errors here.
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        return InputError{at_offset(source_name, text, e.byte == 0 ? 0 : e.byte - 1), "expected JSON as `daxctl list` prints it: " + std::string(e.what()), {}};
    } catch (const json::exception& e) {
        // "number overflow parsing '209715e820'": point at that number.
        const std::string what = e.what();
        std::size_t at = 0;
        if (const auto quote = what.find("parsing '"); quote != std::string::npos) {
            const auto token = what.substr(quote + 9, what.find('\'', quote + 9) - quote - 9);
            if (const auto found = text.find(token); !token.empty() && found != std::string_view::npos) at = found;
        }
        return InputError{at_offset(source_name, text, at), "expected a number that fits in 64 bits: " + what, {}};
    }
    Walker walker(source_name, text);
    try {
        if (auto error = walker.walk(doc)) return *error;
    } catch (const json::exception& e) {
        return InputError{at_offset(source_name, text, 0), "expected a daxctl listing: " + std::string(e.what()), {}};
    }
    if (walker.listing.devices.empty())
        return InputError{at_offset(source_name, text, 0), "expected at least one device-DAX device (\"chardev\") in this listing, found none",
                          "list the devices with `daxctl list -M`"};
    walker.listing.source = std::string(source_name);
    return std::move(walker.listing);
}

}  // namespace bootmap
