#include "report/junit_reporter.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>


namespace bootmap {

namespace {

// A value inside an attribute (quote marks, line ends and tabs as character references) or in
// element text, escaped as XML requires, after the input's bytes were made valid XML 1.0 text.
std::string escaped(std::string_view value, bool attribute) {
    const std::string safe = xml_safe_utf8(value);
    std::string out;
    out.reserve(safe.size());
    for (const char c : safe) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += attribute ? "&quot;" : "\""; break;
            case '\t': out += attribute ? "&#9;" : "\t"; break;
            case '\n': out += attribute ? "&#10;" : "\n"; break;
            case '\r': out += "&#13;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

// Written as it goes (a hundred thousand findings make as many test cases); the counts each
// element carries are taken first.
void write_junit(OutputSink& sink, const AnalysisReport& report) {
    // A finding belongs to the input whose file it names; the first input takes the rest.
    const auto owner = [&](const Diagnostic& d) -> std::size_t {
        for (std::size_t i = 0; i < report.inputs.size(); ++i)
            if (d.where.file == report.inputs[i].file || d.where.file.rfind(report.inputs[i].file + ":", 0) == 0) return i;
        return 0;
    };
    std::vector<std::size_t> owners;
    owners.reserve(report.diagnostics.size());
    std::vector<std::size_t> tests(report.inputs.size(), 0), failures(report.inputs.size(), 0);
    for (const auto& d : report.diagnostics) {
        owners.push_back(owner(d));
        if (report.inputs.empty()) continue;
        ++tests[owners.back()];
        failures[owners.back()] += d.severity == Severity::error;
    }
    std::size_t all_tests = 0, all_failures = 0;
    for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        // An input without findings has one passing case, so that CI shows it was checked.
        all_tests += std::max<std::size_t>(tests[i], 1);
        all_failures += failures[i];
    }
    auto& out = sink.buffer();
    fmt::format_to(std::back_inserter(out), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bootmap\" tests=\"{}\" failures=\"{}\"",
                   all_tests, all_failures);
    if (report.inputs.empty()) {
        out += " />\n";
        return;
    }
    out += ">\n";
    // One test case per finding, named by its rule and place: an error fails, a warning or note
    // passes with its text.
    for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        const auto& input = report.inputs[i];
        fmt::format_to(std::back_inserter(out), "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n",
                       escaped(fmt::format("{} ({})", input.file, input.kind), true), std::max<std::size_t>(tests[i], 1), failures[i]);
        for (std::size_t k = 0; k < report.diagnostics.size(); ++k) {
            if (owners[k] != i) continue;
            const Diagnostic& d = report.diagnostics[k];
            const std::string place = format_location(d.where);
            fmt::format_to(std::back_inserter(out), "    <testcase classname=\"{}\" name=\"{}\">\n", escaped(d.rule_id, true),
                           escaped(fmt::format("{} at {}", d.rule_id, place), true));
            const std::string line = escaped(fmt::format("{}: {}: {} [{}]", place, severity_name(d.severity), d.message, d.rule_id), false);
            if (d.severity == Severity::error)
                fmt::format_to(std::back_inserter(out), "      <failure message=\"{}\" type=\"{}\">{}</failure>\n", escaped(d.message, true),
                               escaped(d.rule_id, true), line);
            else
                fmt::format_to(std::back_inserter(out), "      <system-out>{}</system-out>\n", line);
            out += "    </testcase>\n";
            sink.flush_if_full();
        }
        if (tests[i] == 0)
            fmt::format_to(std::back_inserter(out), "    <testcase classname=\"bootmap\" name=\"{}\" />\n",
                           escaped(fmt::format("{}: no findings", input.file), true));
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
}

std::string render_junit(const AnalysisReport& report) {
    StringSink sink;
    write_junit(sink, report);
    return sink.take();
}

}  // namespace bootmap
