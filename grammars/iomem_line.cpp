#include "iomem_line.hpp"

#include <boost/spirit/home/x3.hpp>

namespace bootmap::grammars {
namespace {

namespace x3 = boost::spirit::x3;

std::uint32_t column_of(std::string_view line, const char* at) { return static_cast<std::uint32_t>(at - line.data()) + 1; }

// The value of a hex digit, or -1.
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Parses the hex number at `it` (no 0x prefix; up to 16 digits fit in 64 bits); on failure says
// why at the right column, telling "too many digits" apart from "not hex". This is the reader's
// innermost loop (two numbers per line of a million-line dump), hence one pass over the digits.
bool parse_hex(std::string_view line, const char*& it, std::uint64_t& out, IomemLineError& error, const char* what,
               const char* too_long) {
    const char* end = line.data() + line.size();
    const char* start = it;
    std::uint64_t value = 0;
    for (int digit = 0; it != end && (digit = hex_value(*it)) >= 0; ++it) {
        if (it - start == 16) {
            error = {column_of(line, start), too_long};
            return false;
        }
        value = value << 4 | static_cast<std::uint64_t>(digit);
    }
    if (it == start) {
        error = {column_of(line, it), what};
        return false;
    }
    out = value;
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
