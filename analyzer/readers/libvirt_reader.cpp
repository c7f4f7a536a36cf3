#include "readers/libvirt_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace bootmap {
namespace {

// Byte offsets to 1-based line and column.
class LineIndex {
public:
    LineIndex(std::string_view source, std::string_view text) : source_(source) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    [[nodiscard]] SourceLocation at(std::ptrdiff_t offset) const {
        if (offset < 0) return SourceLocation{std::string(source_)};
        const auto off = static_cast<std::size_t>(offset);
        const auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
        const auto line = static_cast<std::size_t>(it - starts_.begin());
        return SourceLocation{std::string(source_), static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(off - starts_[line - 1] + 1), std::nullopt};
    }
    // pugixml places an element at its name; a location points at its '<'.
    [[nodiscard]] SourceLocation at(const pugi::xml_node& node) const {
        const auto offset = node.offset_debug();
        return at(node.type() == pugi::node_element && offset > 0 ? offset - 1 : offset);
    }

private:
    std::string_view source_;
    std::vector<std::size_t> starts_;
};

// libvirt's scaled integers: the unit names it accepts and their multipliers (KiB when absent).
std::optional<std::uint64_t> unit_multiplier(std::string_view unit) {
    static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 22> units{{
        {"b", 1},        {"bytes", 1},       {"KB", 1000},          {"k", 1ull << 10},     {"K", 1ull << 10},   {"KiB", 1ull << 10},
        {"MB", 1000000}, {"M", 1ull << 20},  {"m", 1ull << 20},     {"MiB", 1ull << 20},   {"GB", 1000000000},  {"G", 1ull << 30},
        {"g", 1ull << 30}, {"GiB", 1ull << 30}, {"TB", 1000000000000}, {"T", 1ull << 40}, {"t", 1ull << 40},   {"TiB", 1ull << 40},
        {"PB", 1000000000000000}, {"P", 1ull << 50}, {"PiB", 1ull << 50}, {"EiB", 1ull << 60},
    }};
    if (unit.empty()) return 1ull << 10;
    for (const auto& [name, mult] : units)
        if (name == unit) return mult;
    return std::nullopt;
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

class DomainReader {
public:
    DomainReader(std::string_view source, std::string_view xml) : source_(source), lines_(source, xml), xml_(xml) {}

    Result<VmDefinition> read(const pugi::xml_node& domain) {
        VmDefinition vm;
        vm.source = std::string(source_);
        vm.name = domain.child("name").text().get();
        const auto type = domain.child("os").child("type");
        vm.arch = type.attribute("arch").value();
        vm.machine = type.attribute("machine").value();
        vm.machine_where = lines_.at(type);
        if (const auto memory = domain.child("memory")) {
            auto bytes = scaled(memory, memory.attribute("unit").value(), memory.text().get(), "<memory>");
            if (!bytes) return bytes.error();
            vm.memory = bytes.value();
            vm.memory_where = lines_.at(memory);
        }
        if (const auto max = domain.child("maxMemory")) {
            auto bytes = scaled(max, max.attribute("unit").value(), max.text().get(), "<maxMemory>");
            if (!bytes) return bytes.error();
            vm.max_memory = bytes.value();
            auto slots = number(max, max.attribute("slots").value(), "the slots attribute of <maxMemory>");
            if (!slots) return slots.error();
            vm.slots = static_cast<std::uint32_t>(slots.value());
        }
        if (const auto vcpu = domain.child("vcpu")) {
            auto count = number(vcpu, vcpu.text().get(), "<vcpu>");
            if (!count) return count.error();
            if (count.value() == 0 || count.value() > 4096) return error(vcpu, fmt::format("expected a vCPU count from 1 to 4096, found {}", count.value()));
            vm.vcpus = static_cast<std::uint32_t>(count.value());
        }
        const auto cpu = domain.child("cpu");
        vm.cpu_mode = cpu.attribute("mode").value();
        vm.cpu_model = cpu.child("model").text().get();
        vm.cpu_vendor = cpu.child("vendor").text().get();
        if (const auto topology = cpu.child("topology")) {
            for (const auto& [attr, target] : {std::pair{"sockets", &vm.topology.sockets}, {"dies", &vm.topology.dies}, {"cores", &vm.topology.cores},
                                               {"threads", &vm.topology.threads}}) {
                const auto a = topology.attribute(attr);
                if (!a) continue;
                auto n = number(topology, a.value(), fmt::format("the {} attribute of <topology>", attr));
                if (!n) return n.error();
                if (n.value() == 0 || n.value() > 4096) return error(topology, fmt::format("expected {} from 1 to 4096, found {}", attr, n.value()));
                *target = static_cast<std::uint32_t>(n.value());
            }
        }
        for (const auto& cell : cpu.child("numa").children("cell")) {
            auto read = read_cell(cell);
            if (!read) return read.error();
            vm.cells.push_back(std::move(read).value());
        }
        std::size_t position = 0;
        for (const auto& device : domain.child("devices").children("memory")) {
            auto read = read_memory_device(device, position++);
            if (!read) return read.error();
            vm.memory_devices.push_back(std::move(read).value());
        }
        if (const auto cmdline = domain.child("os").child("cmdline")) {
            vm.cmdline = cmdline.text().get();
            const auto text_node = cmdline.first_child();
            vm.cmdline_where = lines_.at(text_node ? text_node : cmdline);
            // pugixml points a text node at its first character; without entities every character
            // of the value is the file's own, so findings can point into it.
            vm.cmdline_verbatim = text_node && text_node.type() == pugi::node_pcdata && raw_length(text_node) == vm.cmdline->size();
        }
        return vm;
    }

private:
    std::string_view source_;
    LineIndex lines_;
    std::string_view xml_;

    // How many bytes of the file a text node spans (up to the next '<').
    [[nodiscard]] std::size_t raw_length(const pugi::xml_node& text_node) const {
        const auto offset = text_node.offset_debug();
        if (offset < 0 || static_cast<std::size_t>(offset) >= xml_.size()) return 0;
        const auto end = xml_.find('<', static_cast<std::size_t>(offset));
        const auto raw = xml_.substr(static_cast<std::size_t>(offset), end - static_cast<std::size_t>(offset));
        return raw.find('&') == std::string_view::npos ? raw.size() : 0;
    }

    InputError error(const pugi::xml_node& at, std::string message, std::string hint = {}) const {
        return InputError{lines_.at(at), std::move(message), std::move(hint)};
    }

    Result<std::uint64_t> number(const pugi::xml_node& at, std::string_view text, std::string_view what) const {
        if (const auto v = parse_u64(text)) return *v;
        return error(at, fmt::format("expected a decimal number in {}, found '{}'", what, text));
    }

    // A size with libvirt's unit attribute, in bytes; refused when it overflows 64 bits.
    Result<std::uint64_t> scaled(const pugi::xml_node& at, std::string_view unit, std::string_view text, std::string_view what) const {
        const auto mult = unit_multiplier(unit);
        if (!mult) return error(at, fmt::format("expected a libvirt unit (b, KiB, MiB, GiB, TiB, KB, MB, GB, ...) for {}, found '{}'", what, unit));
        auto value = number(at, text, what);
        if (!value) return value.error();
        if (value.value() > UINT64_MAX / *mult) return error(at, fmt::format("{} of {} {} does not fit in 64 bits", what, value.value(), unit));
        return value.value() * *mult;
    }

    // libvirt's cpuset syntax: "0-3,^2,8".
    Result<std::vector<std::uint32_t>> cpuset(const pugi::xml_node& at, std::string_view text) const {
        std::vector<std::uint32_t> in, out;
        std::size_t start = 0;
        while (start <= text.size() && !text.empty()) {
            const auto comma = text.find(',', start);
            std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            const bool exclude = !item.empty() && item.front() == '^';
            if (exclude) item.remove_prefix(1);
            const auto dash = item.find('-');
            const auto first = parse_u64(item.substr(0, dash));
            const auto last = dash == std::string_view::npos ? first : parse_u64(item.substr(dash + 1));
            if (!first || !last || *last < *first || *last >= 4096)
                return error(at, fmt::format("expected a cpuset such as '0-3,^2,8' (CPUs below 4096), found '{}'", text));
            for (auto c = *first; c <= *last; ++c) (exclude ? out : in).push_back(static_cast<std::uint32_t>(c));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        std::erase_if(in, [&](std::uint32_t c) { return std::find(out.begin(), out.end(), c) != out.end(); });
        std::sort(in.begin(), in.end());
        in.erase(std::unique(in.begin(), in.end()), in.end());
        return in;
    }

    Result<VmNumaCell> read_cell(const pugi::xml_node& cell) const {
        VmNumaCell c;
        c.where = lines_.at(cell);
        const auto id = cell.attribute("id");
        if (id) {
            auto n = number(cell, id.value(), "the id attribute of <cell>");
            if (!n) return n.error();
            if (n.value() > 0xffff) return error(cell, fmt::format("expected a NUMA cell id below 65536, found {}", n.value()));
            c.id = static_cast<std::uint32_t>(n.value());
        }
        auto memory = scaled(cell, cell.attribute("unit").value(), cell.attribute("memory").value(), "the memory attribute of <cell>");
        if (!memory) return memory.error();
        c.memory = memory.value();
        if (const auto cpus = cell.attribute("cpus"); cpus && *cpus.value()) {
            auto set = cpuset(cell, cpus.value());
            if (!set) return set.error();
            c.cpus = std::move(set).value();
        }
        return c;
    }

    Result<VmMemoryDevice> read_memory_device(const pugi::xml_node& device, std::size_t position) const {
        VmMemoryDevice d;
        d.where = lines_.at(device);
        d.model_name = device.attribute("model").value();
        if (d.model_name == "dimm") d.model = VmMemoryModel::dimm;
        else if (d.model_name == "nvdimm") d.model = VmMemoryModel::nvdimm;
        else if (d.model_name == "virtio-pmem") d.model = VmMemoryModel::virtio_pmem;
        else if (d.model_name == "virtio-mem") d.model = VmMemoryModel::virtio_mem;
        else d.model = VmMemoryModel::other;
        d.alias = device.child("alias").attribute("name").value();
        if (d.alias.empty()) d.alias = fmt::format("memory{}", position);
        const auto target = device.child("target");
        const auto size = target.child("size");
        if (!size) return error(device, fmt::format("expected <target><size> in this <memory model='{}'> device", d.model_name));
        auto bytes = scaled(size, size.attribute("unit").value(), size.text().get(), "<target><size>");
        if (!bytes) return bytes.error();
        d.size = bytes.value();
        if (const auto label = target.child("label").child("size")) {
            auto label_bytes = scaled(label, label.attribute("unit").value(), label.text().get(), "<label><size>");
            if (!label_bytes) return label_bytes.error();
            d.label_size = label_bytes.value();
            if (d.label_size >= d.size)
                return error(label, fmt::format("the label area ({} bytes) leaves nothing of the {}-byte nvdimm", d.label_size, d.size));
        }
        if (const auto node = target.child("node")) {
            auto n = number(node, node.text().get(), "<target><node>");
            if (!n) return n.error();
            if (n.value() > 0xffff) return error(node, fmt::format("expected a NUMA node below 65536, found {}", n.value()));
            d.node = static_cast<std::uint32_t>(n.value());
        }
        if (const auto align = device.child("source").child("alignsize")) {
            auto a = scaled(align, align.attribute("unit").value(), align.text().get(), "<source><alignsize>");
            if (!a) return a.error();
            if (a.value() == 0 || (a.value() & (a.value() - 1)))
                return error(align, fmt::format("expected a power of two for <alignsize>, found {} bytes", a.value()));
            d.align = a.value();
        }
        return d;
    }
};

}  // namespace

Result<VmDefinition> read_libvirt_domain(std::string_view source_name, std::string_view xml) {
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    const LineIndex lines(source_name, xml);
    if (!parsed) {
        // Running off the end is what a cut-off copy looks like; say so rather than pugixml's tag talk.
        const bool at_end = parsed.offset + 1 >= static_cast<std::ptrdiff_t>(xml.size());
        return InputError{lines.at(parsed.offset),
                          at_end ? std::string("expected well-formed XML: the file ends before every element is closed (cut off?)")
                                 : fmt::format("expected well-formed XML: {}", parsed.description()),
                          "give the domain XML as `virsh dumpxml NAME` prints it"};
    }
    const auto domain = doc.document_element();
    if (std::string_view(domain.name()) != "domain")
        return InputError{lines.at(domain), fmt::format("expected a libvirt <domain> element, found <{}>", domain.name()),
                          "give the domain XML as `virsh dumpxml NAME` prints it"};
    return DomainReader(source_name, xml).read(domain);
}

}  // namespace bootmap
