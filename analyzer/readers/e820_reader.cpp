#include "readers/e820_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "grammars/e820_lines.hpp"
#include "model/e820.hpp"
#include "readers/text_file.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

using Shape = grammars::E820Line::Shape;

SourceLocation at(std::string_view source, std::uint32_t line, std::size_t column) {
    return SourceLocation{std::string(source), line, static_cast<std::uint32_t>(column + 1), std::nullopt};
}

// Builds an entry from a start and an end, inclusive or exclusive; refuses ends before starts.
Result<E820Entry> make_entry(std::uint64_t start, std::uint64_t end, bool inclusive, std::uint32_t type, SourceLocation where) {
    if (inclusive ? end < start : end <= start)
        return InputError{where, fmt::format("expected an end address above the start {:#x}, found {:#x}", start, end),
                          "an end below its start usually means a hex digit was lost when the log was copied"};
    const std::uint64_t size = inclusive ? end - start + 1 : end - start;
    if (inclusive && size == 0)
        return InputError{where, "expected a range smaller than the whole 64-bit address space", {}};
    return E820Entry{PhysAddr{start}, ByteSize{size}, type, std::move(where)};
}

struct SysfsEntry {
    std::optional<std::uint64_t> start, end;
    std::optional<std::string> type;
    SourceLocation where;
};

Result<std::uint32_t> type_from_name(std::string_view name, const SourceLocation& where) {
    if (auto t = e820_type_from_name(name)) return *t;
    return InputError{where, fmt::format("expected an e820 type name such as 'System RAM' or 'Reserved', found '{}'", name), {}};
}

Result<std::uint64_t> hex_value(std::string_view text, const SourceLocation& where) {
    std::string_view digits = text;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits.remove_prefix(2);
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    std::uint64_t value = 0;
    if (digits.empty() || digits.size() > 16) return InputError{where, fmt::format("expected a 64-bit hex number, found '{}'", text), {}};
    for (char c : digits) {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) return InputError{where, fmt::format("expected a 64-bit hex number, found '{}'", text), {}};
        value = value * 16 + static_cast<std::uint64_t>(d);
    }
    return value;
}

Result<E820Table> finish_sysfs(std::string_view source, std::map<std::uint32_t, SysfsEntry>& fields) {
    E820Table table{std::string(source), {}};
    for (auto& [index, f] : fields) {
        if (!f.start || !f.end || !f.type)
            return InputError{f.where, fmt::format("expected start, end and type for memmap entry {}, found only some of them", index), {}};
        auto type = type_from_name(*f.type, f.where);
        if (!type) return type.error();
        auto entry = make_entry(*f.start, *f.end, true, type.value(), f.where);
        if (!entry) return entry.error();
        table.entries.push_back(std::move(entry).value());
    }
    return table;
}

}  // namespace

Result<E820Table> read_e820_text(std::string_view source_name, std::string_view text) {
    if (auto bad = check_text(source_name, text)) return *bad;
    E820Table table{std::string(source_name), {}};
    std::map<std::uint32_t, SysfsEntry> sysfs;
    bool in_dmesg_block = false, dmesg_block_done = false;
    TextLines lines(text);
    while (auto next = lines.next()) {
        const std::string_view line = next->text;
        const std::uint32_t line_no = next->number;

        bool overflow = false;
        auto m = grammars::match_e820_line(line, &overflow);
        if (overflow)
            return InputError{at(source_name, line_no, 0), "expected addresses of at most 64 bits in this e820 line", {}};
        const bool dmesg_line = m && (m->shape == Shape::dmesg_inclusive || m->shape == Shape::dmesg_exclusive ||
                                      m->shape == Shape::dmesg_size_at_start || m->shape == Shape::dmesg_gap);
        if (!dmesg_line && in_dmesg_block) {
            // The firmware map is one block; a later block belongs to another boot in the same log.
            in_dmesg_block = false;
            dmesg_block_done = true;
        }
        if (!m) continue;
        const SourceLocation where = at(source_name, line_no, m->match_column);
        switch (m->shape) {
            case Shape::dmesg_gap: continue;
            case Shape::dmesg_inclusive:
            case Shape::dmesg_exclusive:
            case Shape::dmesg_size_at_start: {
                if (dmesg_block_done) continue;
                in_dmesg_block = true;
                auto type = e820_type_from_word(m->type);
                if (!type)
                    return InputError{where, fmt::format("expected an e820 type word such as 'usable' or 'reserved', found '{}'", m->type),
                                      {}};
                Result<E820Entry> entry = m->shape == Shape::dmesg_size_at_start
                                              ? make_entry(m->second, m->second + m->first, false, *type, where)
                                              : make_entry(m->first, m->second, m->shape == Shape::dmesg_inclusive, *type, where);
                if (!entry) return entry.error();
                table.entries.push_back(std::move(entry).value());
                break;
            }
            case Shape::doc_exclusive:
            case Shape::indexed_inclusive: {
                auto type = type_from_name(m->type, where);
                if (!type) return type.error();
                auto entry = make_entry(m->first, m->second, m->shape == Shape::indexed_inclusive, type.value(), where);
                if (!entry) return entry.error();
                table.entries.push_back(std::move(entry).value());
                break;
            }
            case Shape::sysfs_field: {
                auto& f = sysfs[m->index];
                if (f.where.line == 0) f.where = where;
                if (m->field == "type") {
                    f.type = m->type;
                } else {
                    auto value = hex_value(m->type, where);
                    if (!value) return value.error();
                    (m->field == "start" ? f.start : f.end) = value.value();
                }
                break;
            }
        }
    }
    if (!sysfs.empty()) {
        if (!table.entries.empty())
            return InputError{at(source_name, 1, 0), "expected one e820 format per input, found sysfs fields mixed with other lines", {}};
        return finish_sysfs(source_name, sysfs);
    }
    if (table.entries.empty())
        return InputError{at(source_name, 1, 0), "expected BIOS-e820 lines or a /sys/firmware/memmap listing, found none",
                          "pass a kernel log from boot (dmesg, journalctl -k -b) or the output of grep \"\" /sys/firmware/memmap/*/*"};
    return table;
}

Result<E820Table> read_e820_directory(const std::string& path) {
    namespace fs = std::filesystem;
    std::map<std::uint32_t, SysfsEntry> fields;
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(path, ec)) {
        const std::string name = dir.path().filename().string();
        if (!dir.is_directory() || name.empty() || name.size() > 9 || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        auto& f = fields[static_cast<std::uint32_t>(std::stoul(name))];
        f.where = SourceLocation{dir.path().string()};
        for (const char* field : {"start", "end", "type"}) {
            const fs::path file = dir.path() / field;
            auto loaded = load_text_file(file.string());
            if (!loaded) continue;  // reported below as a missing field
            std::string value = loaded.value().contents;
            while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
            const SourceLocation where{file.string(), 1, 1, std::nullopt};
            if (std::string_view(field) == "type") {
                f.type = value;
            } else {
                auto v = hex_value(value, where);
                if (!v) return v.error();
                (std::string_view(field) == "start" ? f.start : f.end) = v.value();
            }
        }
    }
    if (ec) return InputError{SourceLocation{path}, fmt::format("cannot read directory: {}", ec.message()), {}};
    if (fields.empty()) return InputError{SourceLocation{path}, "expected numbered entry directories (0, 1, ...) with start, end and type", {}};
    return finish_sysfs(path, fields);
}

}  // namespace bootmap
