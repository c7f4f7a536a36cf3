#include "iomem_line.hpp"

#include <charconv>

#include <boost/spirit/home/x3.hpp>

namespace bootmap::grammars {
namespace {

namespace x3 = boost::spirit::x3;

std::uint32_t column_of(std::string_view line, const char* at) { return static_cast<std::uint32_t>(at - line.data()) + 1; }

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Parses the hex number at `it` (no 0x prefix; up to 16 digits fit in 64 bits); on failure says
// why at the right column, telling "too many digits" apart from "not hex". This is the reader's
// innermost loop (two numbers per line of a million-line dump), hence from_chars over the run of
// digits rather than a general parser.
bool parse_hex(std::string_view line, const char*& it, std::uint64_t& out, IomemLineError& error, const char* what,
               const char* too_long) {
    const char* end = line.data() + line.size();
    const char* digits_end = it;
    while (digits_end != end && is_hex(*digits_end)) ++digits_end;
    if (digits_end == it) {
        error = {column_of(line, it), what};
        return false;
    }
    if (digits_end - it > 16) {
        error = {column_of(line, it), too_long};
        return false;
    }
    std::from_chars(it, digits_end, out, 16);  // at most 16 hex digits: always fits
    it = digits_end;
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
