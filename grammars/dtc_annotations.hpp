#pragma once
// The lines of `dtc -O dts -T -T` output: every node and property line ends with a comment naming
// the source places that defined or changed it, e.g.
//   fw: fw@50000000 { /* inc.dtsi:9:19-9:69, board.dts:5:5-5:48 */
//   reg = <0x00 0x50000000 0x00 0x200000>; /* board.dts:5:7-5:45 */
//   }; /* inc.dtsi:9:19-9:69 */
// Places come from the C preprocessor's line markers, so they name the file the user wrote.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bootmap::grammars {

struct DtcPlace {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

struct DtcAnnotatedLine {
    enum class Kind { node_open, node_close, property };
    Kind kind;
    std::string name;              // node name ("/" for the root) or property name; labels dropped
    std::vector<DtcPlace> places;  // in the order dtc lists them
};

// nullopt for lines that carry no annotation (the header, /memreserve/, blank lines).
std::optional<DtcAnnotatedLine> parse_dtc_annotated_line(std::string_view line);

// An error line of dtc ("Error: board.dts:4.1-13 syntax error"): the place and the message.
struct DtcError {
    DtcPlace place;
    std::string message;
};
std::optional<DtcError> parse_dtc_error_line(std::string_view line);
// The C preprocessor's "board.dts:2:10: fatal error: inc.dtsi: No such file or directory".
std::optional<DtcError> parse_cpp_error_line(std::string_view line);

}  // namespace bootmap::grammars
