#include "report/text_reporter.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/utf8.hpp"

#include "report/e820_format.hpp"
#include "report/dt_format.hpp"
#include "report/kmem_format.hpp"
#include "report/ram_format.hpp"
#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::string_view color_of(Severity s) {
    switch (s) {
        case Severity::note: return "\x1b[1;36m";
        case Severity::warning: return "\x1b[1;35m";
        case Severity::error: return "\x1b[1;31m";
    }
    return "";
}

// Indentation stops here, and deeper entries say their depth: the report stays proportional to the
// dump however deep a hostile one nests.
constexpr std::uint32_t kTreeIndentLevels = 16;

void render_tree(const IomemTree& tree, OutputSink& sink) {
    std::string& out = sink.buffer();
    fmt::format_to(std::back_inserter(out), "Resource tree of {} ({} resources, {} top level):\n", tree.source, tree.entries.size(),
                   tree.roots.size());
    for (const auto& e : tree.entries) {
        sink.flush_if_full();
        auto range = e.range();
        const std::string size = range ? human_size(range->size()) : std::string("invalid");
        const std::string depth = e.depth > kTreeIndentLevels ? fmt::format("[depth {}] ", e.depth) : std::string();
        fmt::format_to(std::back_inserter(out), "  {:{}}{}{:08x}-{:08x} {:>11}  {}\n", "", 2 * std::min(e.depth, kTreeIndentLevels), depth, e.first.value(),
                       e.last.value(), size, e.name);
    }
}

void render_totals(const IomemTotals& totals, std::string& out) {
    fmt::format_to(std::back_inserter(out), "\nTotals over {} ({}):\n", mem_range(totals.span), human_size(totals.span.size()));
    for (std::size_t k = 0; k < kMemoryKindCount; ++k) {
        const auto kind = static_cast<MemoryKind>(k);
        fmt::format_to(std::back_inserter(out), "  {:<38} {:>12}  ({:#x} bytes)\n", memory_kind_name(kind), human_size(totals.bytes[k]),
                       totals.bytes[k].bytes());
    }
    fmt::format_to(std::back_inserter(out), "  {:<38} {:>12}  ({:#x} bytes)\n", "sum = span", human_size(totals.span.size()),
                   totals.span.size().bytes());
}

void render_e820(const AnalysisReport& report, std::string& out) {
    const auto& setup = *report.e820_setup;
    if (setup.invalid_user_map) {
        out += "\nPredicted boot: the kernel panics with 'Invalid user supplied memory map' (see findings).\n";
        return;
    }
    if (setup.user_map) {
        out += "\nPredicted user-defined physical RAM map:\n";
        out += format_e820_table(*setup.user_map, "user");
    } else {
        out += "\nNo user-defined physical RAM map: the command line has no mem= or memmap=.\n";
    }
    out += "\nPredicted /proc/iomem entries from e820:\n";
    out += format_e820_iomem(setup.resource_map, report.crash_kernel);
    if (!report.kernel_log.empty()) {
        out += "\nPredicted kernel log lines:\n";
        for (const auto& line : report.kernel_log) out += "  " + line + "\n";
    }
}

// The source line under a finding, clang style, with a caret at its column: "  12 | text" then
// "     |     ^". A long line is shown around the column; control bytes are shown as spaces.
void render_excerpt(const Diagnostic& d, bool color, std::string& out) {
    if (d.excerpt.empty() || d.where.column == 0 || d.where.column > d.excerpt.size() + 1) return;
    constexpr std::size_t kContext = 80;
    std::size_t from = 0, to = d.excerpt.size();
    const std::size_t at = d.where.column - 1;
    if (to > 2 * kContext) {
        from = at > kContext ? at - kContext : 0;
        to = std::min(to, at + kContext);
        // Never cut a UTF-8 sequence.
        while (from > 0 && (static_cast<unsigned char>(d.excerpt[from]) & 0xC0) == 0x80) --from;
        while (to < d.excerpt.size() && (static_cast<unsigned char>(d.excerpt[to]) & 0xC0) == 0x80) ++to;
    }
    std::string shown = from > 0 ? "..." : "";
    std::string pad = from > 0 ? "   " : "";
    for (std::size_t i = from; i < to; ++i) {
        const auto c = static_cast<unsigned char>(d.excerpt[i]);
        const bool control = c < 0x20 && c != '\t';
        shown += control || c == 0x7f ? ' ' : static_cast<char>(c);
        // One caret column per code point (continuation bytes take none); tabs as tabs.
        if (i < at && (c & 0xC0) != 0x80) pad += c == '\t' ? '\t' : ' ';
    }
    if (to < d.excerpt.size()) shown += "...";
    const std::string number = std::to_string(d.where.line);
    const std::string_view green = color ? "\x1b[32m" : "", reset = color ? "\x1b[0m" : "";
    fmt::format_to(std::back_inserter(out), " {} | {}\n {:{}} | {}{}^{}\n", number, xml_safe_utf8(shown), "", number.size(), pad, green, reset);
}

}  // namespace

void write_diagnostics_text(OutputSink& sink, const std::vector<Diagnostic>& diagnostics, bool color, std::optional<std::size_t> baselined,
                            std::size_t suppressed, bool summary) {
    const std::string_view bold = color ? "\x1b[1m" : "";
    const std::string_view reset = color ? "\x1b[0m" : "";
    std::string& out = sink.buffer();
    for (const auto& d : diagnostics) {
        fmt::format_to(std::back_inserter(out), "{}{}:{} {}{}:{} {} [{}]\n", bold, format_location(d.where), reset,
                       color ? color_of(d.severity) : "", severity_name(d.severity), reset, d.message, d.rule_id);
        render_excerpt(d, color, out);
        for (const auto& r : d.related)
            fmt::format_to(std::back_inserter(out), "{}{}:{} {}note:{} {}\n", bold, format_location(r.where), reset,
                           color ? color_of(Severity::note) : "", reset, r.message);
        sink.flush_if_full();
    }
    if (!summary) return;
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& d : diagnostics) ++counts[static_cast<int>(d.severity)];
    fmt::format_to(std::back_inserter(out), "{} error{}, {} warning{}, {} note{}", counts[2], counts[2] == 1 ? "" : "s", counts[1],
                   counts[1] == 1 ? "" : "s", counts[0], counts[0] == 1 ? "" : "s");
    if (baselined) fmt::format_to(std::back_inserter(out), " ({} more accepted by the baseline)", *baselined);
    if (suppressed) fmt::format_to(std::back_inserter(out), " ({} suppressed in the source)", suppressed);
    out += '\n';
}

std::string render_diagnostics_text(const std::vector<Diagnostic>& diagnostics, bool color, std::optional<std::size_t> baselined, std::size_t suppressed,
                                    bool summary) {
    StringSink sink;
    write_diagnostics_text(sink, diagnostics, color, baselined, suppressed, summary);
    return sink.take();
}

void write_text(OutputSink& sink, const AnalysisReport& report, const TextOptions& options) {
    std::string& out = sink.buffer();
    fmt::format_to(std::back_inserter(out), "bootmap: kernel profile {} {}\n", format_kernel_version(report.profile.version),
                   arch_name(report.profile.arch));
    for (const auto& input : report.inputs) fmt::format_to(std::back_inserter(out), "input: {} ({})\n", input.file, input.kind);
    if (report.cmdline) fmt::format_to(std::back_inserter(out), "command line: {}\n", *report.cmdline);
    if (report.iomem && options.show_tree) {
        out += '\n';
        render_tree(*report.iomem, sink);
    }
    if (report.iomem_totals) render_totals(*report.iomem_totals, out);
    if (report.e820_setup) render_e820(report, out);
    if (!report.device_memory.empty()) {
        out += "\nDevice memory (ZONE_DEVICE once a driver maps it with memremap_pages; kmem-onlined parts are ordinary memory blocks):\n";
        for (const auto& d : report.device_memory)
            fmt::format_to(std::back_inserter(out), "  {:<26} {:#x}-{:#x}  ZONE_DEVICE {:>10}  onlined {:>10}  {}\n", d.name, d.range.begin().value(),
                           d.range.last().value(), human_size(d.device), human_size(d.onlined), d.owner);
    }
    if (report.dt_boot) out += format_dt_layout(*report.dt_boot);
    out += format_ram_accounts(report.ram);
    out += format_kmem_table(report.kmem);
    if (!report.assumptions.empty()) {
        out += "\nAssumed:\n";
        for (const auto& a : report.assumptions) out += "  " + a + "\n";
    }
    out += render_not_checked(report.not_checked);
    out += "\nFindings:\n";
    sink.flush_if_full();
    write_diagnostics_text(sink, report.diagnostics, options.color,
                           report.baseline_applied ? std::optional(report.baselined.size()) : std::nullopt, report.suppressed.size());
}

std::string render_text(const AnalysisReport& report, const TextOptions& options) {
    StringSink sink;
    write_text(sink, report, options);
    return sink.take();
}

std::string render_not_checked(const std::vector<std::string>& not_checked) {
    if (not_checked.empty()) return {};
    std::string out = "\nNot checked:\n";
    for (const auto& line : not_checked) out += "  " + line + "\n";
    return out;
}

}  // namespace bootmap
