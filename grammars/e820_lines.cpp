#include "e820_lines.hpp"

#include <re2/re2.h>

#include <memory>

namespace bootmap::grammars {
namespace {

struct Patterns {
    RE2 dmesg_inclusive{R"re(BIOS-e820: \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]\s+(.*?)\s*$)re"};
    RE2 dmesg_gap{R"re(BIOS-e820: \[gap )re"};
    RE2 dmesg_exclusive{R"re(BIOS-e820: ([0-9a-fA-F]+) - ([0-9a-fA-F]+) \((.*)\)\s*$)re"};
    RE2 dmesg_size_at{R"re(BIOS-e820: ([0-9a-fA-F]+) @ ([0-9a-fA-F]+) \((.*)\)\s*$)re"};
    RE2 sysfs_field{R"re(^\s*/sys/firmware/memmap/([0-9]+)/(start|end|type):(.*?)\s*$)re"};
    RE2 doc_exclusive{R"re(^\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) \((.*)\)\s*$)re"};
    RE2 indexed{R"re(^\s*([0-9]+)\s+(0x[0-9a-fA-F]+)\s+(0x[0-9a-fA-F]+)\s+(.*?)\s*$)re"};
};

const Patterns& patterns() {
    static const Patterns p;
    return p;
}

// Hex text (with or without 0x) to a value; false when it has more than 64 bits.
bool parse_hex(std::string_view text, std::uint64_t& out) {
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
    while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
    if (text.empty() || text.size() > 16) return false;
    out = 0;
    for (char c : text) {
        const int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
        out = out * 16 + static_cast<std::uint64_t>(d);
    }
    return true;
}

}  // namespace

std::optional<E820Line> match_e820_line(std::string_view line, bool* overflow) {
    *overflow = false;
    const auto& p = patterns();
    re2::StringPiece input(line.data(), line.size());
    std::string a, b, c, d;
    E820Line out{};
    auto column_of = [&](std::string_view needle) {
        const auto pos = line.find(needle);
        return pos == std::string_view::npos ? std::size_t{0} : pos;
    };
    auto numbers = [&](const std::string& x, const std::string& y) {
        if (!parse_hex(x, out.first) || !parse_hex(y, out.second)) {
            *overflow = true;
            return false;
        }
        return true;
    };
    if (line.find("BIOS-e820:") != std::string_view::npos) {
        out.match_column = column_of("BIOS-e820:");
        if (RE2::PartialMatch(input, p.dmesg_gap)) {
            out.shape = E820Line::Shape::dmesg_gap;
            return out;
        }
        if (RE2::PartialMatch(input, p.dmesg_inclusive, &a, &b, &c)) {
            out.shape = E820Line::Shape::dmesg_inclusive;
        } else if (RE2::PartialMatch(input, p.dmesg_exclusive, &a, &b, &c)) {
            out.shape = E820Line::Shape::dmesg_exclusive;
        } else if (RE2::PartialMatch(input, p.dmesg_size_at, &a, &b, &c)) {
            out.shape = E820Line::Shape::dmesg_size_at_start;
        } else {
            return std::nullopt;
        }
        if (!numbers(a, b)) return std::nullopt;
        out.type = c;
        return out;
    }
    if (RE2::FullMatch(input, p.sysfs_field, &a, &b, &c)) {
        out.shape = E820Line::Shape::sysfs_field;
        if (a.size() > 9) {
            *overflow = true;
            return std::nullopt;
        }
        out.index = static_cast<std::uint32_t>(std::stoul(a));
        out.field = b;
        out.type = c;
        return out;
    }
    if (RE2::FullMatch(input, p.doc_exclusive, &a, &b, &c)) {
        out.shape = E820Line::Shape::doc_exclusive;
        if (!numbers(a, b)) return std::nullopt;
        out.type = c;
        return out;
    }
    if (RE2::FullMatch(input, p.indexed, &d, &a, &b, &c)) {
        out.shape = E820Line::Shape::indexed_inclusive;
        if (!numbers(a, b) || d.size() > 9) {
            *overflow = true;
            return std::nullopt;
        }
        out.index = static_cast<std::uint32_t>(std::stoul(d));
        out.type = c;
        return out;
    }
    return std::nullopt;
}

}  // namespace bootmap::grammars
