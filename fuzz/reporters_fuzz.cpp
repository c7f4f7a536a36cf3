// libFuzzer target: arbitrary bytes in every name a report carries, through every output format.
// The input's lines become the names of a /proc/iomem dump's resources (RAM, reserved, PCI, nested
// device entries, a duplicate that overlaps) and the file name and a finding's message and subject;
// every format must stay well-formed whatever the bytes: JSON, SARIF, baselines and diff JSON parse,
// JUnit, SVG and HTML parse as XML, and a baseline written reads back and accepts every finding.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "analysis/baseline.hpp"
#include "analysis/layout_diff.hpp"
#include "analysis/memory_map.hpp"
#include "pipeline/pipeline.hpp"
#include "readers/iomem_reader.hpp"
#include "report/diff_format.hpp"
#include "report/json_reporter.hpp"
#include "report/junit_reporter.hpp"
#include "report/memory_map_svg.hpp"
#include "report/sarif_reporter.hpp"
#include "report/text_reporter.hpp"

namespace {

// A name from the input: one line of it, without the line break the dump format cannot carry.
std::vector<std::string> names_from(std::string_view text) {
    std::vector<std::string> names;
    while (names.size() < 8) {
        const auto end = text.find('\n');
        std::string name(text.substr(0, end));
        if (name.empty()) name = "x";
        names.push_back(std::move(name));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    while (names.size() < 8) names.push_back(names.back());
    return names;
}

void require_json(const std::string& text) {
    if (!nlohmann::json::accept(text)) std::abort();
}

void require_json_lines(const std::string& text) {
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        require_json(std::string(rest.substr(0, end)));
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
}

void require_xml(const std::string& text) {
    pugi::xml_document document;
    if (!document.load_string(text.c_str())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto n = names_from(std::string_view(reinterpret_cast<const char*>(data), size));
    const std::string dump = fmt::format(
        "00000000-00000fff : {}\n00001000-0009fbff : System RAM\n000a0000-000bffff : {}\n00100000-7fffffff : System RAM\n"
        "  01000000-01ffffff : {}\n  02000000-020fffff : Kernel data\n80000000-8fffffff : {}\n  80000000-80ffffff : {}\n"
        "    80000000-8000ffff : {}\n88000000-9fffffff : {}\n100000000-17fffffff : Persistent Memory\n",
        n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
    auto tree = bootmap::read_iomem(n[7], dump);
    if (!tree) return 0;  // a name the dump format cannot hold (leading blanks, a ':' that splits differently)
    bootmap::Machine machine;
    machine.iomem = std::make_shared<const bootmap::IomemTree>(std::move(tree).value());
    bootmap::Pipeline pipeline(std::move(machine));
    bootmap::AnalysisReport report = pipeline.analysis();
    bootmap::Diagnostic extra;
    extra.rule_id = "iomem-overlap";
    extra.message = n[2];
    extra.subject = n[3];
    extra.where = bootmap::SourceLocation{n[7], 1, 1, std::nullopt};
    report.diagnostics.push_back(extra);

    (void)bootmap::render_text(report, bootmap::TextOptions{true, true});
    require_json(bootmap::render_json(report));
    require_json(bootmap::render_sarif(report));
    require_xml(bootmap::render_junit(report));
    const auto map = bootmap::build_memory_map(report);
    require_xml(bootmap::render_map_svg(map, bootmap::MapScale::log));
    (void)bootmap::render_map_html(map, bootmap::MapScale::linear);
    const std::string baseline_text = bootmap::render_baseline(report.diagnostics);
    require_json(baseline_text);
    const auto baseline = bootmap::read_baseline(n[7], baseline_text);
    if (!baseline || !bootmap::split_by_baseline(report.diagnostics, baseline.value()).fresh.empty()) std::abort();
    const auto before = bootmap::layout_items(*report.iomem);
    bootmap::Layout after = before;
    after.items.resize(before.items.size() / 2);
    const auto changes = bootmap::diff_layouts(before, after);
    require_json(bootmap::render_layout_diff_json(changes, n[7], n[0]));
    (void)bootmap::render_layout_diff_text(changes, n[7], n[0]);
    require_json_lines(bootmap::render_batch_line(bootmap::BatchEntry{n[7], {n[0]}, 1, std::nullopt, report.diagnostics}));
    const bootmap::InputError error{bootmap::SourceLocation{n[1], 2, 3, std::nullopt}, n[4], n[5]};
    require_json_lines(bootmap::render_batch_line(bootmap::BatchEntry{n[7], {n[1]}, 2, error, {}}));
    return 0;
}
