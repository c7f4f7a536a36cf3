#include "readers/acpi_iasl_reader.hpp"

#include <re2/re2.h>

#include <fmt/format.h>

#include "grammars/numbers.hpp"

#include "readers/text_file.hpp"
#include "readers/text_lines.hpp"

namespace bootmap {
namespace {

// The largest table bootmap accepts from a disassembly: far above any real SRAT.
constexpr std::uint64_t kMaxTableBytes = 16ull << 20;

// acpidump-style output ends with the exact bytes ("Raw Table Data: Length N", then
// "    0000: 53 52 41 54 ...  // SRAT..."): empty when the text has none.
std::string raw_table_bytes(std::string_view text) {
    static const RE2 raw_line(R"re(^\s*([0-9A-Fa-f]{4,8}): ((?:[0-9A-Fa-f]{2} ?){1,16}))re");
    std::string raw;
    if (text.find("Raw Table Data:") == std::string_view::npos) return raw;
    bool in_raw = false;
    TextLines lines(text);
    while (auto line = lines.next()) {
        if (line->text.find("Raw Table Data:") != std::string_view::npos) {
            in_raw = true;
            continue;
        }
        if (!in_raw) continue;
        re2::StringPiece input(line->text.data(), line->text.size());
        std::string offset, bytes;
        if (!RE2::PartialMatch(input, raw_line, &offset, &bytes)) continue;
        if (grammars::parse_unsigned(offset, 16) != std::optional<std::uint64_t>{raw.size()}) break;
        bool bytes_ok = true;
        for (std::size_t i = 0; i + 1 < bytes.size() && bytes_ok; i += 3) {
            const auto byte = grammars::parse_unsigned(std::string_view(bytes).substr(i, 2), 16);
            bytes_ok = byte.has_value();
            if (byte) raw.push_back(static_cast<char>(*byte));
        }
        if (!bytes_ok || raw.size() > kMaxTableBytes) break;
    }
    return raw.size() >= 36 ? raw : std::string();
}

// The checksum iasl computes when it compiles a table: byte 9 makes all bytes sum to 0 mod 256.
void set_checksum(std::string& table) {
    const auto length = std::min<std::size_t>(table.size(), static_cast<unsigned char>(table[4]) | static_cast<unsigned char>(table[5]) << 8 |
                                                                 static_cast<unsigned char>(table[6]) << 16 | static_cast<std::size_t>(static_cast<unsigned char>(table[7])) << 24);
    unsigned sum = 0;
    for (std::size_t i = 0; i < length; ++i)
        if (i != 9) sum += static_cast<unsigned char>(table[i]);
    table[9] = static_cast<char>((256 - sum % 256) % 256);
}

// The table as its fields describe it, laid over `base` (the raw bytes where the text has them:
// they fill what no field covers, such as byte lists).
Result<std::string> table_from_fields(std::string_view source, std::string_view text, std::string table) {
    static const RE2 field(R"re(^\[([0-9A-Fa-f]+)h +([0-9]+) +([0-9A-Fa-f]+h?)\]\s+([^:]*?)\s*:\s*(.*?)\s*$)re");
    static const RE2 hand_field(R"re(^\s+[A-Za-z][A-Za-z0-9 ()/-]* : \S)re");
    bool any = false;
    TextLines lines(text);
    while (auto line = lines.next()) {
        {
            re2::StringPiece probe(line->text.data(), line->text.size());
            if (!line->text.empty() && line->text.front() != '[' && RE2::PartialMatch(probe, hand_field) &&
                line->text.find("decoded below") == std::string_view::npos && line->text.find("Enabled") == std::string_view::npos &&
                line->text.find("Hot Pluggable") == std::string_view::npos && line->text.find("Non-Volatile") == std::string_view::npos &&
                line->text.find("Specific Purpose") == std::string_view::npos && line->text.find("Reserved") == std::string_view::npos)
                return InputError{SourceLocation{std::string(source), line->number, 1, std::nullopt},
                                  "expected '[offset ...]' before each field, as iasl -d prints it; this looks like hand-written iasl source",
                                  "compile it first (iasl -tc, or iasl to a .aml/.dat table) and pass the binary table"};
        }
        re2::StringPiece input(line->text.data(), line->text.size());
        std::string hex_offset, dec_offset, length_text, name, value;
        if (!RE2::FullMatch(input, field, &hex_offset, &dec_offset, &length_text, &name, &value)) continue;
        const SourceLocation where{std::string(source), line->number, 1, std::nullopt};
        if (hex_offset.size() > 8 || length_text.size() > 6)
            return InputError{where, fmt::format("expected a field offset and length, found '{}' and '{}'", hex_offset, length_text), {}};
        const bool hex_length = !length_text.empty() && length_text.back() == 'h';
        const auto parsed_offset = grammars::parse_unsigned(hex_offset, 16);
        const auto parsed_length = grammars::parse_unsigned(hex_length ? std::string_view(length_text).substr(0, length_text.size() - 1) : std::string_view(length_text),
                                                            hex_length ? 16 : 10);
        if (!parsed_offset || !parsed_length)
            return InputError{where, fmt::format("expected a field offset and length, found '{}' and '{}'", hex_offset, length_text), {}};
        const std::uint64_t offset = *parsed_offset;
        const std::uint64_t length = *parsed_length;
        if (length == 0 || offset + length > kMaxTableBytes)
            return InputError{where, fmt::format("expected a field inside a table of at most {} bytes, found offset {:#x} length {}", kMaxTableBytes, offset, length),
                              {}};
        if (table.size() < offset + length) table.resize(offset + length, '\0');
        any = true;
        if (!value.empty() && value.front() == '"') {
            // A string field: its characters, as many as the field holds.
            const auto close = value.find('"', 1);
            const std::string s = value.substr(1, close == std::string::npos ? std::string::npos : close - 1);
            for (std::size_t i = 0; i < length && i < s.size(); ++i) table[offset + i] = s[i];
            continue;
        }
        // A number: hex digits up to the first blank (an annotation such as "[Memory Affinity]" may follow).
        const std::string digits = value.substr(0, value.find(' '));
        if (digits.empty() || digits.size() > 16 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
            if (length > 8) continue;  // byte buffers are printed as lists; a SRAT has none that matter
            return InputError{where, fmt::format("expected a hexadecimal value for '{}', found '{}'", name, value), {}};
        }
        std::uint64_t v = grammars::parse_unsigned(digits, 16).value_or(0);
        for (std::size_t i = 0; i < length && i < 8; ++i, v >>= 8) table[offset + i] = static_cast<char>(v & 0xff);
    }
    if (!any)
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt},
                          "expected iasl disassembly lines such as '[004h 0004   4]  Table Length : 000000E0', found none", {}};
    if (table.size() < 36)
        return InputError{SourceLocation{std::string(source), 1, 1, std::nullopt},
                          fmt::format("expected the iasl disassembly of a whole table (at least its 36-byte ACPI header), found fields for {} bytes", table.size()),
                          "disassemble the table with iasl -d, or pass the binary table"};
    return table;
}

}  // namespace

// The raw bytes are exact and keep the table's own checksum; fields that say otherwise were edited
// (the user asking "what if"): then the fields win and the checksum is recomputed, as iasl does
// when it compiles the text. A disassembly without raw bytes is compiled the same way.
Result<std::string> rebuild_acpi_table_from_iasl(std::string_view source, std::string_view text) {
    if (auto bad = check_text(source, text)) return *bad;
    const std::string raw = raw_table_bytes(text);
    auto table = table_from_fields(source, text, raw);
    if (!table) {
        if (!raw.empty() && !RE2::PartialMatch(text, R"re((?m)^\[[0-9A-Fa-f]+h)re")) return raw;
        return table.error();
    }
    if (!raw.empty() && table.value() == raw) return raw;
    set_checksum(table.value());
    return table;
}

}  // namespace bootmap
