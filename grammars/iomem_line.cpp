#include "iomem_line.hpp"

#include <boost/spirit/home/x3.hpp>

namespace bootmap::grammars {
namespace {

namespace x3 = boost::spirit::x3;

// Hex digits without a 0x prefix; up to 16 fit in 64 bits. X3's unsigned parser refuses overflow, and we
// tell "too many digits" apart from "not hex" so the message can say which.
const auto hex_digits = x3::rule<struct hex_digits_tag, std::uint64_t>{"hex address"} = x3::uint_parser<std::uint64_t, 16>{};

std::uint32_t column_of(std::string_view line, const char* at) { return static_cast<std::uint32_t>(at - line.data()) + 1; }

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Parses a hex number at `it`; on failure reports why at the right column.
bool parse_hex(std::string_view line, const char*& it, std::uint64_t& out, IomemLineError& error, const char* what,
               const char* too_long) {
    const char* end = line.data() + line.size();
    const char* start = it;
    if (it == end || !is_hex(*it)) {
        error = {column_of(line, it), what};
        return false;
    }
    if (!x3::parse(it, end, hex_digits, out)) {
        error = {column_of(line, start), too_long};
        return false;
    }
    if (it != end && is_hex(*it)) {  // unreachable with X3's greedy parse, kept for clarity of contract
        error = {column_of(line, it), too_long};
        return false;
    }
    return true;
}

}  // namespace

std::variant<IomemLine, IomemLineError> parse_iomem_line(std::string_view line) {
    IomemLine result;
    IomemLineError error;
    const char* it = line.data();
    const char* end = line.data() + line.size();

    const char* indent_end = it;
    x3::parse(indent_end, end, *x3::lit(' '));
    result.indent = static_cast<std::uint32_t>(indent_end - it);
    it = indent_end;

    if (!parse_hex(line, it, result.first, error, "a hexadecimal start address",
                   "a start address of at most 16 hex digits (64 bits)"))
        return error;
    if (!x3::parse(it, end, x3::lit('-'))) return IomemLineError{column_of(line, it), "'-' between start and end"};
    if (!parse_hex(line, it, result.last, error, "a hexadecimal end address",
                   "an end address of at most 16 hex digits (64 bits)"))
        return error;
    // The kernel prints " : " then the name; an empty name leaves " : " with nothing after it. Tools
    // that strip trailing blanks turn that into " :", which we accept too.
    if (!x3::parse(it, end, x3::lit(" :"))) return IomemLineError{column_of(line, it), "' : ' after the address range"};
    if (it != end) {
        if (*it != ' ') return IomemLineError{column_of(line, it), "' : ' after the address range"};
        ++it;
    }
    result.name = std::string_view(it, static_cast<std::size_t>(end - it));
    return result;
}

}  // namespace bootmap::grammars
