#include "report/sarif_reporter.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "analysis/rule_catalogue.hpp"
#include "core/finding_fingerprint.hpp"
#include "report/streamed_json.hpp"

namespace bootmap {
namespace {

using nlohmann::json;

constexpr std::string_view kInformationUri = "https://github.com/bootmap/bootmap";

std::string_view level_of(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "none";
}

// A file path as a URI reference: absolute paths become file:// URIs; everything outside the
// unreserved set and '/' is percent-encoded (a ':' in a relative path would read as a scheme).
std::string uri_of(std::string_view path) {
    std::string out = path.starts_with('/') ? "file://" : "";
    for (const unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

json physical_location(const SourceLocation& where) {
    json loc{{"artifactLocation", {{"uri", uri_of(where.file.empty() ? "unknown" : where.file)}}}};
    if (where.line) {
        json region{{"startLine", where.line}};
        if (where.column) region["startColumn"] = where.column;
        loc["region"] = std::move(region);
    } else if (where.byte_offset) {
        loc["region"] = {{"byteOffset", *where.byte_offset}};
    }
    return loc;
}

// The place in the file, and for a device-tree finding the node it is about, by path.
json location_of(const Diagnostic& d) {
    json loc{{"physicalLocation", physical_location(d.where)}};
    if (!d.subject.empty()) {
        const auto slash = d.subject.rfind('/');
        const std::string name = slash == std::string::npos || d.subject == "/" ? d.subject : d.subject.substr(slash + 1);
        loc["logicalLocations"] = json::array({{{"name", name}, {"fullyQualifiedName", d.subject}, {"kind", "object"}}});
    }
    return loc;
}

}  // namespace

void write_sarif(OutputSink& sink, const AnalysisReport& report) {
    json rules = json::array();
    std::map<std::string_view, std::size_t> rule_index;
    for (const auto& rule : rule_catalogue()) {
        rule_index[rule.id] = rules.size();
        rules.push_back({{"id", rule.id},
                         {"shortDescription", {{"text", rule.summary}}},
                         {"help", {{"text", fmt::format("{} (run `bootmap explain {}` for the kernel behaviour behind it and the fix)", rule.summary, rule.id)}}},
                         {"helpUri", fmt::format("{}/blob/main/docs/rules/{}.md", kInformationUri, rule.id)},
                         {"defaultConfiguration", {{"level", level_of(rule.severity)}}}});
    }
    // With a baseline, every result says whether it is new; the accepted ones are listed as unchanged.
    std::vector<std::pair<const Diagnostic*, const char*>> listed;
    for (const auto& d : report.diagnostics) listed.emplace_back(&d, "new");
    for (const auto& d : report.baselined) listed.emplace_back(&d, "unchanged");
    // Findings a comment in the source accepted are results with an in-source suppression.
    std::map<const Diagnostic*, const std::string*> justification;
    for (const auto& s : report.suppressed) {
        listed.emplace_back(&s.diagnostic, "new");
        justification[&s.diagnostic] = &s.reason;
    }
    const auto result_of = [&](const std::pair<const Diagnostic*, const char*>& entry) {
        const auto& [diagnostic, state] = entry;
        const Diagnostic& d = *diagnostic;
        json r{{"ruleId", d.rule_id},
               {"level", level_of(d.severity)},
               {"message", {{"text", d.message}}},
               {"locations", json::array({location_of(d)})},
               {"partialFingerprints", {{"bootmapFinding/v1", finding_fingerprint(d)}}}};
        if (const auto it = rule_index.find(d.rule_id); it != rule_index.end()) r["ruleIndex"] = it->second;
        json related = json::array();
        for (std::size_t i = 0; i < d.related.size(); ++i)
            related.push_back({{"id", i + 1}, {"physicalLocation", physical_location(d.related[i].where)}, {"message", {{"text", d.related[i].message}}}});
        if (!related.empty()) r["relatedLocations"] = std::move(related);
        if (d.fix && d.fix->where.line && d.fix->where.column) {
            // One replacement in one file: deletedRegion spans `deleted` bytes on the line (an
            // insertion when empty), as SARIF's region columns count them here (columnKind utf16CodeUnits
            // equals bytes for the ASCII these fixes touch).
            const auto& f = *d.fix;
            json region{{"startLine", f.where.line}, {"startColumn", f.where.column}, {"endColumn", f.where.column + f.deleted}};
            json replacement{{"deletedRegion", std::move(region)}};
            if (!f.inserted.empty()) replacement["insertedContent"] = {{"text", f.inserted}};
            r["fixes"] = json::array({{{"description", {{"text", f.description}}},
                                       {"artifactChanges", json::array({{{"artifactLocation", {{"uri", uri_of(f.where.file)}}},
                                                                         {"replacements", json::array({std::move(replacement)})}}})}}});
        }
        if (report.baseline_applied) r["baselineState"] = state;
        if (const auto it = justification.find(diagnostic); it != justification.end())
            r["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", *it->second}}});
        return r;
    };
    // The results (a million-line dump gives a hundred thousand) are written one at a time.
    StreamedArrays arrays;
    json artifacts = json::array();
    // One artifact per file, though a file may feed several parts (a boot log gives e820 and SRAT).
    std::set<std::string> seen;
    for (const auto& input : report.inputs)
        if (seen.insert(input.file).second) artifacts.push_back({{"location", {{"uri", uri_of(input.file)}}}, {"roles", {"analysisTarget"}}});
    json run{{"tool", {{"driver", {{"name", "bootmap"}, {"version", "0.1.0"}, {"informationUri", kInformationUri}, {"rules", std::move(rules)}}}}},
             {"artifacts", std::move(artifacts)},
             {"results", arrays.add(listed, result_of)},
             {"properties", {{"kernelProfile", format_kernel_version(report.profile.version)}, {"arch", arch_name(report.profile.arch)}}}};
    json root{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
    arrays.write(root, sink);
    sink.append("\n");
}

std::string render_sarif(const AnalysisReport& report) {
    StringSink sink;
    write_sarif(sink, report);
    return sink.take();
}

}  // namespace bootmap
