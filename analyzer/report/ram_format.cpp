#include "report/ram_format.hpp"

#include <set>

#include <fmt/format.h>

#include "util/human_size.hpp"

namespace bootmap {
namespace {

std::string signed_size(std::uint64_t after, std::uint64_t before) {
    if (after == before) return "";
    return after > before ? "+" + human_size(ByteSize{after - before}) : "-" + human_size(ByteSize{before - after});
}

}  // namespace

std::string format_ram_accounts(const std::vector<RamAccount>& accounts) {
    if (accounts.empty()) return {};
    const RamAccount& after = accounts.front();
    const RamAccount* before = accounts.size() > 1 ? &accounts[1] : nullptr;
    std::string out = fmt::format("\nRAM ({}{}; MemTotal estimated within {:.0f}%):\n", after.label, before ? ", against the " + before->label : "",
                                  kMemTotalTolerance * 100);
    const auto row = [&](std::string_view what, std::uint64_t a, std::optional<std::uint64_t> b) {
        if (b)
            fmt::format_to(std::back_inserter(out), "  {:<66} {:>12} {:>12} {:>12}\n", what, human_size(ByteSize{*b}), human_size(ByteSize{a}),
                           signed_size(a, *b));
        else
            fmt::format_to(std::back_inserter(out), "  {:<66} {:>12}\n", what, human_size(ByteSize{a}));
    };
    if (before) fmt::format_to(std::back_inserter(out), "  {:<66} {:>12} {:>12} {:>12}\n", "", "logged", "predicted", "change");
    const auto opt = [&](std::uint64_t RamAccount::*field) { return before ? std::optional<std::uint64_t>((*before).*field) : std::nullopt; };
    row("RAM the firmware reports", after.firmware_ram, opt(&RamAccount::firmware_ram));
    row("RAM after the command line's edits", after.ram_after_cmdline, opt(&RamAccount::ram_after_cmdline));
    row("pages present in zones", after.estimate.present, before ? std::optional(before->estimate.present) : std::nullopt);
    std::set<int> nodes;
    for (const auto& [n, b] : after.present_per_node) nodes.insert(n);
    if (before)
        for (const auto& [n, b] : before->present_per_node) nodes.insert(n);
    if (nodes.size() > 1)
        for (const int n : nodes) {
            const auto in = [&](const RamAccount& a) {
                const auto it = a.present_per_node.find(n);
                return it == a.present_per_node.end() ? std::uint64_t{0} : it->second;
            };
            row(fmt::format("  node {}", n), in(after), before ? std::optional(in(*before)) : std::nullopt);
        }
    std::vector<std::string> kinds;
    for (const auto& k : after.estimate.kept) kinds.push_back(k.what);
    if (before)
        for (const auto& k : before->estimate.kept)
            if (std::find(kinds.begin(), kinds.end(), k.what) == kinds.end()) kinds.push_back(k.what);
    const auto kept = [](const RamAccount& a, const std::string& what) {
        for (const auto& k : a.estimate.kept)
            if (k.what == what) return k.bytes;
        return std::uint64_t{0};
    };
    out += "  kept from the page allocator:\n";
    for (const auto& what : kinds) row("  " + what, kept(after, what), before ? std::optional(kept(*before, what)) : std::nullopt);
    row("MemTotal (estimate)", after.estimate.mem_total, before ? std::optional(before->estimate.mem_total) : std::nullopt);
    if (!after.estimate.left_out.empty()) {
        out += "  not in the estimate: ";
        for (std::size_t i = 0; i < after.estimate.left_out.size(); ++i) out += (i ? "; " : "") + after.estimate.left_out[i];
        out += "\n";
    }
    return out;
}

}  // namespace bootmap
