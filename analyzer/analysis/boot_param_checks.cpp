#include "analysis/boot_param_checks.hpp"

#include <array>
#include <optional>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "grammars/boot_params.hpp"
#include "kernel/e820.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 4> kRules{{
    {rules::cmdline_param_refused, Severity::warning,
     "a memory parameter whose value its kernel handler refuses or ignores (cma=, hugepages=, dmem=, reserve_mem=, ...)"},
    {rules::cmdline_param_unknown_to_kernel, Severity::warning,
     "a parameter the profile's kernel does not have (too old, or built without the feature): it goes to user space"},
    {rules::cmdline_reserve_over_ram, Severity::warning,
     "reserve= over RAM: it names the range in /proc/iomem but does not keep the kernel out"},
    {rules::cmdline_too_long, Severity::warning,
     "a command line longer than the kernel's COMMAND_LINE_SIZE: it keeps the first 2047 bytes and never sees the rest"},
}};

// The parameters past the kernel's COMMAND_LINE_SIZE - 1 bytes, which it never sees (the one cut in
// two is seen cut).
std::optional<Diagnostic> too_long(const KernelCommandLine& c, const KernelProfile& profile) {
    const std::size_t kept = profile.command_line_size() - 1;
    if (c.text.size() <= kept) return std::nullopt;
    std::string lost;
    std::size_t count = 0;
    for (const auto& p : c.params) {
        if (p.offset + p.length <= kept) continue;
        ++count;
        const std::string text = c.text.substr(p.offset, p.length);
        if (lost.size() < 120) lost += (lost.empty() ? "'" : ", '") + (p.offset < kept ? text + "' (cut to '" + c.text.substr(p.offset, kept - p.offset) + "')" : text + "'");
    }
    return make_finding(rules::cmdline_too_long, c.locate(kept),
                        fmt::format("the command line is {} bytes; the kernel keeps the first {} (COMMAND_LINE_SIZE {}), so {} parameter{} {} lost: {}{}",
                                    c.text.size(), kept, profile.command_line_size(), count, count == 1 ? "" : "s", count == 1 ? "is" : "are", lost,
                                    lost.size() >= 120 ? ", ..." : ""));
}

}  // namespace

std::span<const RuleInfo> boot_param_rules() { return kRules; }
namespace {

std::string joined(const std::vector<std::string>& messages) {
    std::string out;
    for (const auto& m : messages) out += (out.empty() ? "" : "; ") + ("\"" + m + "\"");
    return out;
}

struct Introduced {
    std::string_view name;
    KernelVersion since;
};
// Parameters newer than some profiles: before these releases the kernel passes them to init.
constexpr Introduced kIntroduced[] = {{"reserve_mem", {6, 11}}, {"hugetlb_cma", {5, 7}}, {"memhp_default_state", {3, 10}}};

class Checker {
public:
    Checker(const KernelCommandLine& c, const KernelProfile& profile, const E820Table* firmware) : c_(c), profile_(profile), firmware_(firmware) {}

    std::vector<Diagnostic> run() {
        std::vector<grammars::NamedValue> hugetlb;
        for (std::size_t i = 0; i < c_.params.size(); ++i) {
            const auto& p = c_.params[i];
            std::string name = p.name;
            std::replace(name.begin(), name.end(), '-', '_');
            if (!check_introduced(p, name)) continue;
            // An early parameter given without '=' reaches a handler that wants a value: parse_dmem()
            // refuses NULL, and do_early_param() says so.
            if (!p.value && name == "dmem") {
                out_.push_back(make_finding(rules::cmdline_param_refused, c_.locate(p.offset),
                                            "dmem without a value: the kernel says \"Malformed early option 'dmem'\"; nothing is reserved"));
                continue;
            }
            if (!p.value) continue;
            const std::string& v = *p.value;
            if (name == "hugepagesz" || name == "hugepages" || name == "default_hugepagesz") hugetlb.push_back({i, name, v});
            else if (name == "cma") refused(p, grammars::parse_cma(v).verdict);
            else if (name == "hugetlb_cma") refused(p, grammars::parse_hugetlb_cma(v, 1ull << 30).verdict);
            else if (name == "kernelcore") refused(p, grammars::parse_kernelcore(v, true).verdict, true);
            else if (name == "movablecore") refused(p, grammars::parse_kernelcore(v, false).verdict, true);
            else if (name == "numa") refused(p, grammars::parse_numa(v).verdict);
            else if (name == "efi_fake_mem") refused(p, grammars::parse_efi_fake_mem(v).verdict, true);
            else if (name == "reserve") check_reserve(p, grammars::parse_reserve(v));
            else if (name == "reserve_mem") refused(p, grammars::parse_reserve_mem(v).verdict);
            else if (name == "dmem") refused(p, grammars::parse_dmem(v, profile_.section_size()).verdict, true);
        }
        auto cfg = grammars::parse_hugetlb(hugetlb, grammars::hugepage_sizes_x86_64(true));
        for (const auto& [index, verdict] : cfg.verdicts) refused(c_.params[index], verdict);
        return std::move(out_);
    }

private:
    bool check_introduced(const grammars::CmdlineParam& p, const std::string& name) {
        if (name == "dmem" && !profile_.has_dmem()) {
            out_.push_back(make_finding(rules::cmdline_param_unknown_to_kernel, c_.locate(p.offset),
                                        fmt::format("{}= comes from the dmem RFC, which was never merged: a stock kernel passes it to user space and "
                                                    "reserves nothing (give --kconfig DMEM=y to model a kernel carrying the patches)",
                                                    p.name)));
            return false;
        }
        if ((name == "cma" || name == "hugetlb_cma") && !profile_.has_cma()) {
            out_.push_back(make_finding(rules::cmdline_param_unknown_to_kernel, c_.locate(p.offset),
                                fmt::format("{}= needs CONFIG_CMA, which the {} {} profile (Debian's build) lacks: the kernel reports it as an "
                                            "unknown parameter, passes it to user space and reserves nothing",
                                            p.name, format_kernel_version(profile_.version), arch_name(profile_.arch))));
            return false;
        }
        if (name == "efi_fake_mem" && !profile_.has_efi_fake_mem()) {
            out_.push_back(make_finding(
                rules::cmdline_param_unknown_to_kernel, c_.locate(p.offset),
                profile_.has(Gate::efi_fake_mem_removed)
                    ? fmt::format("{}= was removed in Linux 6.11 (37aee82c213d, \"x86/efi: Drop support for fake EFI memory maps\"): kernel {} "
                                  "passes it to user space and changes no memory attribute",
                                  p.name, format_kernel_version(profile_.version))
                    : fmt::format("{}= needs CONFIG_EFI_FAKE_MEMMAP, which the {} {} profile (Debian's build) lacks: the kernel reports it as an "
                                  "unknown parameter, passes it to user space and changes no memory attribute",
                                  p.name, format_kernel_version(profile_.version), arch_name(profile_.arch))));
            return false;
        }
        for (const auto& intro : kIntroduced) {
            if (name != intro.name || profile_.version >= intro.since) continue;
            out_.push_back(make_finding(rules::cmdline_param_unknown_to_kernel, c_.locate(p.offset),
                                fmt::format("{}= exists since Linux {}; kernel {} does not know it and passes it to init, reserving nothing", p.name,
                                            format_kernel_version(intro.since), format_kernel_version(profile_.version))));
            return false;
        }
        return true;
    }

    // `informational`: messages that are notes about the value rather than a refusal.
    void refused(const grammars::CmdlineParam& p, const grammars::ParamVerdict& v, bool informational = false) {
        if (v.accepted && (informational || v.messages.empty())) return;
        std::string message = fmt::format("{}={}: ", p.name, *p.value);
        message += v.messages.empty() ? "the kernel refuses the value" : (v.accepted ? "" : "the kernel says ") + joined(v.messages);
        if (v.malformed_early) message += fmt::format(" and \"Malformed early option '{}'\"", p.name);
        message += v.accepted ? "; only the part before that takes effect" : "; the setting is ignored";
        out_.push_back(make_finding(rules::cmdline_param_refused, c_.locate(p.value_offset + v.error_offset), std::move(message)));
    }

    void check_reserve(const grammars::CmdlineParam& p, const grammars::ReserveParam& r) {
        refused(p, r.verdict);
        if (!firmware_) return;
        for (const auto& [start, num] : r.ranges) {
            if (start < 0x10000 || num == 0) continue;  // I/O ports
            for (const auto& e : firmware_->entries) {
                if (e.type != e820_type::ram) continue;
                const std::uint64_t s = e.addr.value(), end = s + e.size.bytes();
                if (start < end && s < std::uint64_t{start} + num) {
                    out_.push_back(make_finding(rules::cmdline_reserve_over_ram, c_.locate(p.offset),
                                        fmt::format("reserve={:#x},{:#x} covers RAM ({} [mem {:#010x}-{:#010x}]): reserve= only claims the "
                                                    "resource in /proc/iomem, the kernel still allocates that memory; use memmap=nn$ss",
                                                    start, num, e820_type_name(e.type), s, end - 1)));
                    break;
                }
            }
        }
    }

    const KernelCommandLine& c_;
    const KernelProfile& profile_;
    const E820Table* firmware_;
    std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> check_boot_params(const KernelCommandLine& cmdline, const KernelProfile& profile, const E820Table* firmware) {
    auto out = Checker(cmdline, profile, firmware).run();
    if (auto d = too_long(cmdline, profile)) out.push_back(std::move(*d));
    return out;
}

}  // namespace bootmap
