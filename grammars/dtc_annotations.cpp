#include "grammars/dtc_annotations.hpp"

#include <re2/re2.h>

namespace bootmap::grammars {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// "label: other: name" → "name"; labels are identifiers followed by ':' and a blank.
std::string_view drop_labels(std::string_view s) {
    static const RE2 label(R"(^([A-Za-z_][A-Za-z0-9_]*):\s+)");
    re2::StringPiece rest(s.data(), s.size());
    while (RE2::Consume(&rest, label)) {
    }
    return {rest.data(), rest.size()};
}

std::vector<DtcPlace> parse_places(std::string_view list) {
    static const RE2 place(R"(^\s*(.+?):(\d+):(\d+)-\d+:\d+\s*(?:,|$))");
    static const RE2 place_short(R"(^\s*(.+?):(\d+)\s*(?:,|$))");
    std::vector<DtcPlace> out;
    re2::StringPiece rest(list.data(), list.size());
    while (!rest.empty()) {
        DtcPlace p;
        if (RE2::Consume(&rest, place, &p.file, &p.line, &p.column) || RE2::Consume(&rest, place_short, &p.file, &p.line))
            out.push_back(std::move(p));
        else
            break;
    }
    return out;
}

}  // namespace

std::optional<DtcAnnotatedLine> parse_dtc_annotated_line(std::string_view line) {
    const auto close = line.rfind("*/");
    const auto open = line.rfind("/* ");
    if (close == std::string_view::npos || open == std::string_view::npos || open > close) return std::nullopt;
    if (!trim(line.substr(close + 2)).empty()) return std::nullopt;
    const auto code = trim(line.substr(0, open));
    DtcAnnotatedLine out;
    out.places = parse_places(line.substr(open + 3, close - open - 3));
    if (code == "};") {
        out.kind = DtcAnnotatedLine::Kind::node_close;
        return out;
    }
    if (code.size() >= 2 && code.back() == '{') {
        out.kind = DtcAnnotatedLine::Kind::node_open;
        out.name = std::string(trim(drop_labels(trim(code.substr(0, code.size() - 1)))));
        return out;
    }
    if (!code.empty() && code.back() == ';') {
        const auto body = drop_labels(code);
        const auto end = body.find_first_of(" =;");
        out.kind = DtcAnnotatedLine::Kind::property;
        out.name = std::string(body.substr(0, end));
        return out;
    }
    return std::nullopt;
}

std::optional<DtcError> parse_dtc_error_line(std::string_view line) {
    // dtc prints "Error: FILE:LINE.COL-..." or "Error: FILE:LINE.COL-LINE.COL ..." then the message;
    // its lexer says "Lexical error: FILE:LINE.COL-... <what>" first, the parser's "syntax error" after.
    static const RE2 pattern(R"(^(?:Error|FATAL ERROR|Lexical error|Warning[^:]*):\s*(.+?):(\d+)\.(\d+)(?:-[\d.]+)?\s+(.*)$)");
    // dtc's checks: "FILE:4.8-12: ERROR (duplicate_label): /n2: Duplicate label 'a' on /n2".
    static const RE2 check(R"(^(.+?):(\d+)\.(\d+)(?:-[\d.]+)?:\s*(?:ERROR|Warning) \(([^)]+)\):\s*(.*)$)");
    DtcError e;
    const re2::StringPiece input(line.data(), line.size());
    std::string check_name, text;
    if (RE2::FullMatch(input, check, &e.place.file, &e.place.line, &e.place.column, &check_name, &text)) {
        e.message = text + " (dtc check " + check_name + ")";
    } else if (!RE2::FullMatch(input, pattern, &e.place.file, &e.place.line, &e.place.column, &e.message)) {
        return std::nullopt;
    }
    // dtc counts an error before the first line as line 0.
    if (e.place.line == 0) e.place.line = 1;
    if (e.place.column == 0) e.place.column = 1;
    return e;
}

std::optional<DtcError> parse_cpp_error_line(std::string_view line) {
    static const RE2 pattern(R"(^(.+?):(\d+):(\d+):\s*(?:fatal )?error:\s*(.*)$)");
    DtcError e;
    if (!RE2::FullMatch(re2::StringPiece(line.data(), line.size()), pattern, &e.place.file, &e.place.line, &e.place.column, &e.message))
        return std::nullopt;
    return e;
}

}  // namespace bootmap::grammars
