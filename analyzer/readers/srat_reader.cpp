#include "readers/srat_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "readers/acpi_iasl_reader.hpp"

namespace bootmap {
namespace {

std::uint64_t le(std::string_view b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
    return v;
}

InputError at_offset(std::string_view source, std::uint64_t offset, std::string message) {
    return InputError{SourceLocation{std::string(source), 0, 0, offset}, std::move(message), {}};
}

// Base64 text (as a table is often pasted or stored) to bytes; nullopt when it is not base64.
std::optional<std::string> decode_base64(std::string_view text) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == ' ') continue;
        if (c == '=') break;
        const auto pos = kAlphabet.find(c);
        if (pos == std::string_view::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return out;
}

}  // namespace

Result<SratTable> read_srat(std::string_view source, std::string_view input) {
    std::string decoded;
    std::string_view b = input;
    if (b.substr(0, 4) != "SRAT" && input.find("Signature : \"SRAT\"") != std::string_view::npos) {
        auto rebuilt = rebuild_acpi_table_from_iasl(source, input);
        if (!rebuilt) return rebuilt.error();
        decoded = std::move(rebuilt).value();
        b = decoded;
    } else if (b.substr(0, 4) != "SRAT") {
        auto d = decode_base64(input);
        if (!d || d->substr(0, 4) != "SRAT")
            return at_offset(source, 0, "expected an ACPI SRAT (signature \"SRAT\", binary or base64), found something else");
        decoded = std::move(*d);
        b = decoded;
    }
    if (b.size() < 48) return at_offset(source, b.size(), fmt::format("expected at least 48 bytes of SRAT header, found {}", b.size()));
    const std::uint64_t length = le(b, 4, 4);
    if (length < 48 || length > b.size())
        return at_offset(source, 4, fmt::format("expected a table length between 48 and the {} bytes present, found {}", b.size(), length));
    unsigned sum = 0;
    for (std::size_t i = 0; i < length; ++i) sum += static_cast<unsigned char>(b[i]);
    if (sum % 256 != 0) return at_offset(source, 9, fmt::format("expected the bytes to sum to 0 mod 256 (checksum), found {}", sum % 256));
    SratTable t;
    t.source = std::string(source);
    t.revision = static_cast<std::uint8_t>(b[8]);
    std::size_t at = 48;
    while (at < length) {
        if (at + 2 > length) return at_offset(source, at, "expected a subtable header (type, length), found the end of the table");
        const auto type = static_cast<std::uint8_t>(b[at]);
        const auto len = static_cast<std::uint8_t>(b[at + 1]);
        if (len < 2 || at + len > length)
            return at_offset(source, at + 1, fmt::format("expected a subtable length between 2 and {}, found {}", length - at, len));
        auto need = [&](std::size_t n) -> std::optional<InputError> {
            if (len < n) return at_offset(source, at + 1, fmt::format("expected a type {} subtable of {} bytes, found {}", type, n, len));
            return std::nullopt;
        };
        switch (type) {
            case 0: {
                if (auto e = need(16)) return *e;
                SratCpu c{0, static_cast<std::uint32_t>(le(b, at + 2, 1)), static_cast<std::uint32_t>(le(b, at + 3, 1)), (le(b, at + 4, 4) & 1) != 0,
                          at};
                if (t.revision >= 2) c.pxm |= static_cast<std::uint32_t>(le(b, at + 9, 3)) << 8;
                t.cpus.push_back(c);
                break;
            }
            case 1: {
                if (auto e = need(40)) return *e;
                SratMemory m{static_cast<std::uint32_t>(le(b, at + 2, 4)), le(b, at + 8, 8), le(b, at + 16, 8),
                             static_cast<std::uint32_t>(le(b, at + 28, 4)), at};
                if (t.revision <= 1) m.pxm &= 0xff;
                t.memory.push_back(m);
                break;
            }
            case 2: {
                if (auto e = need(24)) return *e;
                t.cpus.push_back({2, static_cast<std::uint32_t>(le(b, at + 4, 4)), static_cast<std::uint32_t>(le(b, at + 8, 4)),
                                  (le(b, at + 12, 4) & 1) != 0, at});
                break;
            }
            case 3: {
                if (auto e = need(18)) return *e;
                t.cpus.push_back({3, static_cast<std::uint32_t>(le(b, at + 2, 4)), static_cast<std::uint32_t>(le(b, at + 6, 4)),
                                  (le(b, at + 10, 4) & 1) != 0, at});
                break;
            }
            default: t.unknown.emplace_back(type, at); break;
        }
        at += len;
    }
    return t;
}

}  // namespace bootmap
