#include "analysis/cmdline_checks.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>
#include <array>
#include <map>

#include <fmt/format.h>

#include "analysis/e820_checks.hpp"
#include "analysis/finding.hpp"
#include "util/edit_distance.hpp"
#include "grammars/memparse.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 3> kRules{{
    {rules::cmdline_bootloader_dollar_expanded, Severity::error,
     "a '$' in a bootloader file that sh or GRUB expands on the way to the kernel, so the kernel sees something else"},
    {rules::cmdline_duplicate_parameter, Severity::warning,
     "a parameter given twice with different values: only one of them takes effect"},
    {rules::cmdline_unknown_memory_parameter, Severity::warning,
     "a parameter whose name is one typo away from a memory parameter (crashkernal=)"},
}};

}  // namespace

std::span<const RuleInfo> cmdline_rules() { return kRules; }
namespace {

// Parameters that reserve or move physical memory, as the kernel spells them.
constexpr std::array<std::string_view, 24> kMemoryParams{
    "mem",          "memmap",      "crashkernel", "cma",        "hugepagesz",  "hugepages",    "default_hugepagesz", "hugetlb_cma",
    "kernelcore",   "movablecore", "movable_node", "numa",      "efi_fake_mem", "reserve",     "reserve_mem",        "memblock",
    "dmem",         "swiotlb",     "vmalloc",      "memhp_default_state", "memory_hotplug", "nokaslr", "cma_pernuma", "hugetlb_free_vmemmap",
};

// Memory parameters whose every occurrence counts (the handler adds or accumulates), so repeating
// them with different values is normal.
constexpr std::array<std::string_view, 6> kCumulative{"memmap", "hugepagesz", "hugepages", "reserve_mem", "efi_fake_mem", "reserve"};

// Real parameters close to a memory parameter's name, never reported as typos.
constexpr std::array<std::string_view, 16> kKnownNeighbours{"mce", "ima", "dma", "nmi", "ramoops", "numa_balancing", "memtest",
                                                          "mem_encrypt", "memory_corruption_check", "noexec", "nosmp", "reserve_mem",
                                                          "hugetlb_cma", "movable_node", "kernelcore", "noefi"};


std::string canonical(std::string_view name) {
    std::string s(name);
    std::replace(s.begin(), s.end(), '-', '_');
    return s;
}

std::string param_text(const grammars::CmdlineParam& p) { return p.value ? p.name + "=" + *p.value : p.name; }

// Where each parameter sits in the source file, to find the one a '$' expanded into: built in one
// pass, then one binary search per expansion (a line of 30 000 expanded items stays linear).
class ParamSpans {
public:
    explicit ParamSpans(const KernelCommandLine& c) {
        for (std::size_t i = 0; i < c.params.size(); ++i) {
            const auto& p = c.params[i];
            const auto first = c.locate(p.offset);
            const auto last = c.locate(p.offset + (p.length ? p.length - 1 : 0));
            if (first.line == last.line) spans_.push_back({first.line, first.column, last.column, i});
        }
        std::stable_sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return std::tie(a.line, a.first) < std::tie(b.line, b.first); });
    }

    // The parameter whose characters came from around `where`.
    [[nodiscard]] std::optional<std::size_t> at(const SourceLocation& where) const {
        auto it = std::upper_bound(spans_.begin(), spans_.end(), std::pair{where.line, where.column},
                                   [](const std::pair<std::uint32_t, std::uint32_t>& w, const Span& s) { return std::tie(w.first, w.second) < std::tie(s.line, s.first); });
        if (it == spans_.begin()) return std::nullopt;
        --it;
        if (it->line != where.line || where.column > it->last + 1) return std::nullopt;
        return it->param;
    }

private:
    struct Span {
        std::uint32_t line, first, last;
        std::size_t param;
    };
    std::vector<Span> spans_;
};

void check_expansions(const KernelCommandLine& c, std::vector<Diagnostic>& out) {
    if (c.expansions.empty()) return;
    const ParamSpans spans(c);
    for (const auto& e : c.expansions) {
        const auto index = spans.at(e.where);
        const std::string seen = index ? fmt::format(": the kernel receives '{}'", param_text(c.params[*index])) : std::string();
        // In /etc/default/grub the '$' must survive sh and then GRUB: \\\$ inside double quotes (what
        // the user may already have written as \$ only gets past sh), or \$ inside single quotes.
        const std::string fix = e.layer == "GRUB"
                                    ? "escape it as \\$"
                                    : "write \\\\\\$ in /etc/default/grub inside double quotes (sh turns \\\\ into \\ and \\$ into $, GRUB then "
                                      "\\$ into $), or \\$ inside single quotes";
        auto finding = make_finding(rules::cmdline_bootloader_dollar_expanded, e.where,
                                    fmt::format("{} expands '${}' to {}{}; {}", e.layer == "sh" ? "the shell that runs grub-mkconfig" : "GRUB", e.name,
                                                e.value.empty() ? std::string("nothing") : "'" + e.value + "'", seen, fix));
        // Backslashes to put right before the '$': one for GRUB; for a line in /etc/default/grub
        // (inside GRUB_CMDLINE_LINUX's double quotes) three in all, sh taking two and GRUB one — two
        // more when the '$' already has the one that only got it past sh.
        const std::string_view escape = e.layer == "GRUB" ? "\\" : e.layer == "sh" ? "\\\\\\" : "\\\\";
        if (e.where.line && e.where.column)
            finding.fix = TextFix{fmt::format("escape the '$' so that the kernel receives it: insert '{}' before it", escape), e.where, 0, std::string(escape)};
        out.push_back(std::move(finding));
    }
}

void check_duplicates(const KernelCommandLine& c, std::vector<Diagnostic>& out) {
    std::map<std::string, const grammars::CmdlineParam*> first;
    for (const auto& p : c.params) {
        const std::string name = canonical(p.name);
        if (std::find(kMemoryParams.begin(), kMemoryParams.end(), name) == kMemoryParams.end()) continue;
        if (std::find(kCumulative.begin(), kCumulative.end(), name) != kCumulative.end()) continue;
        // crashkernel=,high / ,low / ,cma are looked up separately (the last of each kind counts).
        std::string key = name;
        if (name == "crashkernel" && p.value) {
            const auto comma = p.value->rfind(',');
            if (comma != std::string::npos) {
                const std::string suffix = p.value->substr(comma + 1);
                if (suffix == "high" || suffix == "low" || suffix == "cma") key += "," + suffix;
            }
        }
        auto [it, inserted] = first.emplace(key, &p);
        if (inserted || it->second->value == p.value) continue;
        auto d = make_finding(rules::cmdline_duplicate_parameter, c.locate(p.offset),
                      fmt::format("'{}' is given again after '{}'; only one of them takes effect: for {}, the later one",
                                  param_text(p), param_text(*it->second), p.name));
        d.related.push_back(RelatedLocation{c.locate(it->second->offset), "the earlier occurrence is here", std::nullopt});
        out.push_back(std::move(d));
    }
}

void check_typos(const KernelCommandLine& c, std::vector<Diagnostic>& out) {
    for (const auto& p : c.params) {
        const std::string name = canonical(p.name);
        if (std::find(kMemoryParams.begin(), kMemoryParams.end(), name) != kMemoryParams.end()) continue;
        if (std::find(kKnownNeighbours.begin(), kKnownNeighbours.end(), name) != kKnownNeighbours.end()) continue;
        if (name.find('.') != std::string::npos) continue;  // module parameters
        for (auto known : kMemoryParams) {
            const std::size_t allowed = known.size() <= 4 ? 1 : 2;
            const std::size_t d = edit_distance(name, known);
            if (d == 0 || d > allowed) continue;
            if (known.size() <= 4 && name.size() != known.size()) continue;  // "memtest" is not "mem"
            out.push_back(make_finding(rules::cmdline_unknown_memory_parameter, c.locate(p.offset),
                               fmt::format("'{}' is not a kernel parameter; did you mean '{}'? The kernel passes unknown parameters to init and "
                                           "reserves nothing",
                                           p.name, known)));
            break;
        }
    }
}

// The numbers of the other parameters memparse() reads (mem= and memmap= are judged with the e820
// edits): "crashkernel=010M" is 8 MiB there as it is in mem=. Each number starts the value or follows
// one of the separators of their syntaxes (size@offset, start-end:size,...).
void check_memparse_numbers(const KernelCommandLine& c, std::vector<Diagnostic>& out) {
    static constexpr std::string_view kMemparsed[] = {"crashkernel", "cma",          "hugepagesz", "default_hugepagesz", "kernelcore",
                                                      "movablecore", "reserve_mem", "efi_fake_mem", "hugetlb_cma", "dmem", "elfcorehdr"};
    for (const auto& p : c.params) {
        if (!p.value || std::none_of(std::begin(kMemparsed), std::end(kMemparsed), [&](std::string_view n) { return grammars::param_name_equals(p.name, n); }))
            continue;
        const std::string_view v = *p.value;
        // A size starts the value, and in crashkernel= ranges follows ':' (start-end:size); what
        // follows '@' or '-' is an address or a bound, reserve_mem='s field after ':' an alignment.
        const bool ranges = grammars::param_name_equals(p.name, "crashkernel");
        if (!grammars::param_name_equals(p.name, "elfcorehdr"))
            for (std::size_t i = 0; i < v.size(); ++i)
                if (i == 0 || (ranges && v[i - 1] == ':'))
                {
                    const auto n = grammars::memparse(v.substr(i));
                    if (auto found = size_without_unit(v.substr(i), n, fmt::format("{}=", p.name), c.locate(p.value_offset + i),
                                                       c.locate(p.value_offset + i + std::max<std::size_t>(n.consumed, 1) - 1)))
                        out.push_back(std::move(*found));
                }
        for (std::size_t i = 0; i < v.size(); ++i) {
            const bool field_start = i == 0 || std::string_view(",:@-").find(v[i - 1]) != std::string_view::npos;
            if (!field_start || v[i] != '0') continue;
            const auto n = grammars::memparse(v.substr(i));
            if (!n.octal) continue;
            const std::string_view shown = v.substr(i, std::max<std::size_t>(n.consumed, 1));
            out.push_back(make_finding(rules::cmdline_memparse_surprise, c.locate(p.value_offset + i),
                                       fmt::format("{}= '{}' starts with 0, so the kernel reads it as octal: {} ({:#x})", p.name, shown,
                                                   human_size(ByteSize{n.value}), n.value)));
            out.back().fix = octal_fix(v.substr(i), c.locate(p.value_offset + i));
        }
    }
}

}  // namespace

// A number written with leading zeros, meant as decimal: the zeros removed (none when the digits
// after them are not a decimal number, or nothing but zeros is written).
std::optional<TextFix> octal_fix(std::string_view text, SourceLocation where) {
    std::size_t zeros = 0;
    while (zeros < text.size() && text[zeros] == '0') ++zeros;
    if (zeros == 0 || zeros >= text.size() || std::isdigit(static_cast<unsigned char>(text[zeros])) == 0 || where.line == 0) return std::nullopt;
    return TextFix{fmt::format("read as decimal: '{}'", text.substr(zeros, text.find_first_not_of("0123456789", zeros) - zeros)), std::move(where),
                   static_cast<std::uint32_t>(zeros), ""};
}

std::optional<Diagnostic> size_without_unit(std::string_view text, const grammars::MemparseResult& n, std::string_view what, SourceLocation where,
                                            SourceLocation after) {
    constexpr std::uint64_t kTooSmall = 64 << 10;
    if (n.consumed == 0 || n.value == 0 || n.value >= kTooSmall || n.octal) return std::nullopt;
    const std::string_view digits = text.substr(0, n.consumed);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;  // a unit, or hex
    if (n.consumed < text.size() && text[n.consumed] == '%') return std::nullopt;
    auto d = make_finding(rules::cmdline_size_without_unit, std::move(where),
                          fmt::format("{} '{}' has no unit, so the kernel reads {} bytes; a memory size needs K, M or G ('{}M' is {} MiB)", what, digits,
                                      n.value, digits, n.value));
    if (after.line && after.column) {
        ++after.column;  // `after` is the last digit: the unit goes right after it
        d.fix = TextFix{fmt::format("make it {}M", digits), std::move(after), 0, "M"};
    }
    return d;
}

std::vector<Diagnostic> check_cmdline(const KernelCommandLine& cmdline) {
    std::vector<Diagnostic> out;
    check_expansions(cmdline, out);
    check_duplicates(cmdline, out);
    check_typos(cmdline, out);
    check_memparse_numbers(cmdline, out);
    return out;
}

}  // namespace bootmap
