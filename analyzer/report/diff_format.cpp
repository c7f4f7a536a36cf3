#include "report/diff_format.hpp"

#include "report/json_range.hpp"
#include "report/json_reporter.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/human_size.hpp"

namespace bootmap {

std::string layout_change_kind_name(LayoutChangeKind kind) {
    switch (kind) {
        case LayoutChangeKind::moved: return "moved";
        case LayoutChangeKind::resized: return "resized";
        case LayoutChangeKind::changed: return "changed";
        case LayoutChangeKind::appeared: return "appeared";
        case LayoutChangeKind::vanished: return "vanished";
    }
    return "?";
}

std::string render_layout_diff_text(const std::vector<LayoutChange>& changes, const std::string& before_file, const std::string& after_file) {
    std::string out = fmt::format("--- {}\n+++ {}\n", before_file, after_file);
    for (const auto& c : changes) {
        std::string what;
        if (c.before && c.after)
            what = fmt::format("{} -> {} ({} -> {})", mem_range(*c.before), mem_range(*c.after), human_size(c.before->size()), human_size(c.after->size()));
        else
            what = fmt::format("{} ({})", mem_range(c.before ? *c.before : *c.after), human_size((c.before ? *c.before : *c.after).size()));
        std::string where;
        if (c.line_before) where += fmt::format("{}:{}", before_file, c.line_before);
        if (c.line_after) where += fmt::format("{}{}:{}", where.empty() ? "" : ", ", after_file, c.line_after);
        fmt::format_to(std::back_inserter(out), "{:<9} {}  {}{}\n", layout_change_kind_name(c.kind), c.path, what, where.empty() ? "" : "  (" + where + ")");
    }
    fmt::format_to(std::back_inserter(out), "{} change{}\n", changes.size(), changes.size() == 1 ? "" : "s");
    return out;
}

std::string render_layout_diff_json(const std::vector<LayoutChange>& changes, const std::string& before_file, const std::string& after_file) {
    using nlohmann::json;
    json list = json::array();
    for (const auto& c : changes) {
        json j{{"kind", layout_change_kind_name(c.kind)}, {"path", c.path}};
        if (c.before) {
            j["before"] = range_json(*c.before);
            j["line_before"] = c.line_before;
        }
        if (c.after) {
            j["after"] = range_json(*c.after);
            j["line_after"] = c.line_after;
        }
        list.push_back(std::move(j));
    }
    return json{{"schema_version", kJsonSchemaVersion}, {"before", before_file}, {"after", after_file}, {"changes", std::move(list)}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace bootmap
