#include "report/json_reporter.hpp"

#include "report/json_range.hpp"
#include "report/streamed_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <string>
#include <vector>
#include <tuple>

#include "analysis/baseline.hpp"
#include "kernel/e820.hpp"
#include "core/finding_fingerprint.hpp"
#include "report/dt_format.hpp"
#include "report/dmem_format.hpp"
#include "report/kmem_format.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

using nlohmann::json;

json location_json(const SourceLocation& where) {
    json j{{"file", where.file}};
    if (where.line) j["line"] = where.line;
    if (where.column) j["column"] = where.column;
    if (where.byte_offset) j["byte_offset"] = *where.byte_offset;
    return j;
}

json e820_json(const E820Table& table) {
    json entries = json::array();
    for (const auto& e : table.entries) {
        json j = range_json_sized(e.addr.value(), e.size.bytes());
        j["type"] = e.type;
        j["name"] = std::string(e820_type_name(e.type));
        entries.push_back(std::move(j));
    }
    return entries;
}

json diagnostic_json(const Diagnostic& d) {
    json j{{"rule", d.rule_id}, {"severity", severity_name(d.severity)}, {"message", d.message}, {"location", location_json(d.where)}};
    if (!d.subject.empty()) j["subject"] = d.subject;
    if (d.range) j["range"] = range_json(*d.range);
    json rel = json::array();
    for (const auto& r : d.related) {
        json rj{{"message", r.message}, {"location", location_json(r.where)}};
        if (r.range) rj["range"] = range_json(*r.range);
        rel.push_back(std::move(rj));
    }
    if (!rel.empty()) j["related"] = std::move(rel);
    return j;
}

json diagnostics_json(const std::vector<Diagnostic>& list) {
    json diagnostics = json::array();
    for (const auto& d : list) diagnostics.push_back(diagnostic_json(d));
    return diagnostics;
}

std::string dump(const json& j) { return dump_pretty(j); }



}  // namespace

namespace {

std::string json_string(std::string_view text);

// One entry of a dump, written straight into the output (a million of them): the same text as
// dump() of its object — keys sorted, the range shape of json_range.hpp — without building it.
void write_iomem_entry(const IomemEntry& e, const std::string& pad, std::string& out) {
    const std::uint64_t first = e.first.value(), last = e.last.value();
    const std::uint64_t size = last >= first && last - first != ~std::uint64_t{0} ? last - first + 1 : 0;
    fmt::format_to(std::back_inserter(out), "{{\n{}  \"depth\": {},\n{}  \"end\": \"{:#x}\",\n{}  \"line\": {},\n{}  \"name\": {},\n", pad, e.depth, pad, last,
                   pad, e.line, pad, json_string(e.name));
    if (e.parent) fmt::format_to(std::back_inserter(out), "{}  \"parent\": {},\n", pad, *e.parent);
    fmt::format_to(std::back_inserter(out), "{}  \"size\": {},\n{}  \"start\": \"{:#x}\"\n{}}}", pad, size, pad, first, pad);
}

std::string json_string(std::string_view text) { return json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// A range as range_json() gives it and dump() lays it out, at `pad`.
void write_range(const AddrRange& r, const std::string& pad, std::string& out) {
    if (r.empty()) {
        fmt::format_to(std::back_inserter(out), "{{\n{}  \"end\": null,\n{}  \"size\": 0,\n{}  \"start\": \"{:#x}\"\n{}}}", pad, pad, pad,
                       r.begin().value(), pad);
        return;
    }
    fmt::format_to(std::back_inserter(out), "{{\n{}  \"end\": \"{:#x}\",\n{}  \"size\": {},\n{}  \"start\": \"{:#x}\"\n{}}}", pad,
                   r.last().value(), pad, r.size().bytes(), pad, r.begin().value(), pad);
}

// A finding as diagnostic_json() gives it and dump() lays it out (keys sorted), written without
// building it; one with related locations takes the general path.
void write_diagnostic(const Diagnostic& d, const std::string& pad, std::string& out) {
    if (!d.related.empty()) {
        for (const char c : dump(diagnostic_json(d))) {
            out.push_back(c);
            if (c == '\n') out += pad;
        }
        return;
    }
    const std::string inner = pad + "  ";
    fmt::format_to(std::back_inserter(out), "{{\n{}\"location\": {{\n", inner);
    const auto& w = d.where;
    if (w.byte_offset) fmt::format_to(std::back_inserter(out), "{}  \"byte_offset\": {},\n", inner, *w.byte_offset);
    if (w.column) fmt::format_to(std::back_inserter(out), "{}  \"column\": {},\n", inner, w.column);
    fmt::format_to(std::back_inserter(out), "{}  \"file\": {}", inner, json_string(w.file));
    if (w.line) fmt::format_to(std::back_inserter(out), ",\n{}  \"line\": {}", inner, w.line);
    fmt::format_to(std::back_inserter(out), "\n{}}},\n{}\"message\": {},\n", inner, inner, json_string(d.message));
    if (d.range) {
        fmt::format_to(std::back_inserter(out), "{}\"range\": ", inner);
        write_range(*d.range, inner, out);
        out += ",\n";
    }
    fmt::format_to(std::back_inserter(out), "{}\"rule\": {},\n{}\"severity\": {}", inner, json_string(d.rule_id), inner, json_string(severity_name(d.severity)));
    if (!d.subject.empty()) fmt::format_to(std::back_inserter(out), ",\n{}\"subject\": {}", inner, json_string(d.subject));
    fmt::format_to(std::back_inserter(out), "\n{}}}", pad);
}

json iomem_json(const IomemTree& tree, StreamedArrays& arrays) {
    return {{"source", tree.source}, {"entries", arrays.add(tree.entries, write_iomem_entry)}};
}

json totals_json(const IomemTotals& totals, StreamedArrays& arrays) {
    json bytes;
    for (std::size_t k = 0; k < kMemoryKindCount; ++k) bytes[std::string(memory_kind_name(static_cast<MemoryKind>(k)))] = totals.bytes[k].bytes();
    return {{"span", range_json(totals.span)}, {"bytes", std::move(bytes)}, {"holes", arrays.add(totals.holes, write_range)}};
}

// The firmware map and, when the boot was replayed, the maps it became and the kernel's lines.
json e820_report_json(const AnalysisReport& report) {
    json e820{{"firmware", e820_json(*report.firmware_e820)}};
    if (!report.e820_setup) return e820;
    e820["invalid_user_map"] = report.e820_setup->invalid_user_map;
    e820["user_map"] = report.e820_setup->user_map ? e820_json(*report.e820_setup->user_map) : json(nullptr);
    e820["final"] = e820_json(report.e820_setup->resource_map);
    json crash = json::array();
    for (const auto& c : report.crash_kernel) crash.push_back(range_json(c.first, c.last));
    e820["crash_kernel"] = std::move(crash);
    e820["kernel_log"] = report.kernel_log;
    return e820;
}

json device_memory_json(const std::vector<DeviceMemoryRange>& ranges) {
    json devices = json::array();
    for (const auto& d : ranges)
        devices.push_back({{"name", d.name}, {"line", d.line}, {"range", range_json(d.range)}, {"zone_device_bytes", d.device.bytes()},
                           {"onlined_bytes", d.onlined.bytes()}, {"owner", d.owner}});
    return devices;
}

json suppressed_json(const std::vector<SuppressedFinding>& suppressed) {
    json out = json::array();
    for (const auto& s : suppressed) {
        json j = diagnostics_json({s.diagnostic}).front();
        j["reason"] = s.reason;
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace

json ram_json(const std::vector<RamAccount>& accounts) {
    json out = json::array();
    for (const auto& a : accounts) {
        json nodes = json::object();
        for (const auto& [n, bytes] : a.present_per_node) nodes[std::to_string(n)] = bytes;
        json kept = json::array();
        for (const auto& k : a.estimate.kept) kept.push_back({{"what", k.what}, {"bytes", k.bytes}});
        out.push_back({{"boot", a.label},
                       {"cmdline", a.cmdline},
                       {"firmware_ram", a.firmware_ram},
                       {"ram_after_cmdline", a.ram_after_cmdline},
                       {"present", a.estimate.present},
                       {"present_per_node", std::move(nodes)},
                       {"kept", std::move(kept)},
                       {"mem_total_estimate", a.estimate.mem_total},
                       {"tolerance", kMemTotalTolerance},
                       {"left_out", a.estimate.left_out}});
    }
    return out;
}

void write_json(OutputSink& sink, const AnalysisReport& report, const JsonOptions& options) {
    StreamedArrays arrays;
    json root;
    root["schema_version"] = kJsonSchemaVersion;
    root["tool"] = "bootmap";
    root["kernel"] = {{"version", format_kernel_version(report.profile.version)}, {"arch", arch_name(report.profile.arch)}};
    root["inputs"] = json::array();
    for (const auto& input : report.inputs) {
        json entry{{"file", input.file}, {"kind", input.kind}};
        if (!input.format.empty()) entry["format"] = input.format;
        root["inputs"].push_back(std::move(entry));
    }
    if (report.cmdline) root["cmdline"] = *report.cmdline;
    if (report.iomem) root["iomem"] = iomem_json(*report.iomem, arrays);
    if (report.iomem_totals) root["totals"] = totals_json(*report.iomem_totals, arrays);
    if (report.firmware_e820) root["e820"] = e820_report_json(report);
    if (report.dt_boot) root["device_tree"] = dt_layout_json(*report.dt_boot);
    if (!report.device_memory.empty()) root["device_memory"] = device_memory_json(report.device_memory);
    if (!report.kmem.empty()) {
        json devices = json::array();
        for (const auto& a : report.kmem) devices.push_back(kmem_device_json(a));
        if (options.kmem_devices_at_top)
            root["devices"] = std::move(devices);
        else
            root["kmem"] = {{"devices", std::move(devices)}};
    }
    if (report.dmem) root["dmem"] = dmem_json(*report.dmem);
    if (!report.ram.empty()) root["ram"] = ram_json(report.ram);
    if (!report.assumptions.empty()) root["assumptions"] = report.assumptions;
    if (!report.not_checked.empty()) root["not_checked"] = report.not_checked;
    root["diagnostics"] = arrays.add(report.diagnostics, write_diagnostic);
    if (report.baseline_applied) root["baselined"] = report.baselined.size();
    if (!report.suppressed.empty()) root["suppressed"] = suppressed_json(report.suppressed);
    arrays.write(root, sink);
    sink.append("\n");
}

std::string render_json(const AnalysisReport& report, const JsonOptions& options) {
    StringSink sink;
    write_json(sink, report, options);
    return sink.take();
}

std::string render_baseline(const std::vector<Diagnostic>& diagnostics) {
    std::vector<const Diagnostic*> sorted;
    sorted.reserve(diagnostics.size());
    for (const auto& d : diagnostics) sorted.push_back(&d);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
        return std::tie(a->where.file, a->where.line, a->rule_id) < std::tie(b->where.file, b->where.line, b->rule_id);
    });
    json findings = json::array();
    for (const auto* d : sorted)
        findings.push_back({{"fingerprint", finding_fingerprint(*d)}, {"rule", d->rule_id}, {"location", location_json(d->where)}, {"message", d->message}});
    json root{{"schema_version", kBaselineSchemaVersion}, {"tool", "bootmap"}, {"findings", std::move(findings)}};
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_batch_line(const BatchEntry& entry) {
    json root{{"schema_version", kJsonSchemaVersion}, {"machine", entry.machine}, {"inputs", entry.inputs}, {"exit", entry.exit_code}};
    if (!entry.skipped.empty()) root["skipped"] = entry.skipped;
    if (entry.error) {
        json error = location_json(entry.error->where);
        error["message"] = entry.error->message;
        if (!entry.error->hint.empty()) error["hint"] = entry.error->hint;
        root["error"] = std::move(error);
    } else {
        json counts{{"error", 0}, {"warning", 0}, {"note", 0}};
        for (const auto& d : entry.diagnostics) counts[std::string(severity_name(d.severity))] = counts[std::string(severity_name(d.severity))].get<int>() + 1;
        root["counts"] = std::move(counts);
        root["diagnostics"] = diagnostics_json(entry.diagnostics);
    }
    return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace bootmap
