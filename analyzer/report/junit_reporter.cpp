#include "report/junit_reporter.hpp"

#include "util/utf8.hpp"

#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>


namespace bootmap {

std::string render_junit(const AnalysisReport& report) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto suites = doc.append_child("testsuites");
    suites.append_attribute("name") = "bootmap";
    std::size_t all_tests = 0, all_failures = 0;
    // A finding belongs to the input whose file it names; the first input takes the rest.
    const auto belongs = [&](const Diagnostic& d, std::size_t input) {
        for (std::size_t i = 0; i < report.inputs.size(); ++i)
            if (d.where.file == report.inputs[i].file || d.where.file.rfind(report.inputs[i].file + ":", 0) == 0) return i == input;
        return input == 0;
    };
    // One test case per finding, named by its rule and place: an error fails, a warning or note passes
    // with its text; an input without findings has one passing case, so that CI shows it was checked.
    for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        const auto& input = report.inputs[i];
        auto suite = suites.append_child("testsuite");
        suite.append_attribute("name") = fmt::format("{} ({})", input.file, input.kind).c_str();
        std::size_t tests = 0, failures = 0;
        for (const auto& d : report.diagnostics) {
            if (!belongs(d, i)) continue;
            auto tc = suite.append_child("testcase");
            tc.append_attribute("classname") = d.rule_id.c_str();
            tc.append_attribute("name") = fmt::format("{} at {}", d.rule_id, format_location(d.where)).c_str();
            ++tests;
            const std::string line = fmt::format("{}: {}: {} [{}]", format_location(d.where), severity_name(d.severity), d.message, d.rule_id);
            if (d.severity == Severity::error) {
                auto failure = tc.append_child("failure");
                failure.append_attribute("message") = d.message.c_str();
                failure.append_attribute("type") = d.rule_id.c_str();
                failure.append_child(pugi::node_pcdata).set_value(line.c_str());
                ++failures;
            } else {
                tc.append_child("system-out").append_child(pugi::node_pcdata).set_value(line.c_str());
            }
        }
        if (tests == 0) {
            auto tc = suite.append_child("testcase");
            tc.append_attribute("classname") = "bootmap";
            tc.append_attribute("name") = fmt::format("{}: no findings", input.file).c_str();
            ++tests;
        }
        suite.append_attribute("tests") = tests;
        suite.append_attribute("failures") = failures;
        all_tests += tests;
        all_failures += failures;
    }
    suites.append_attribute("tests") = all_tests;
    suites.append_attribute("failures") = all_failures;
    std::ostringstream out;
    doc.save(out, "  ");
    return xml_safe_utf8(out.str());
}

}  // namespace bootmap
