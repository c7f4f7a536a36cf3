#include "analysis/kmem_audit.hpp"

#include <array>

#include "kernel/e820.hpp"

#include <cctype>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "kernel/resource_tree.hpp"
#include "util/human_size.hpp"

namespace bootmap {

namespace {

constexpr std::array<RuleInfo, 2> kRules{{
    {rules::kmem_stranded_capacity, Severity::warning,
     "a dax device whose start or end is off a memory-block boundary: that much capacity never becomes RAM through kmem"},
    {rules::kmem_rejected_region, Severity::warning,
     "a dax device without one whole memory block: kmem rejects it"},
}};

}  // namespace

std::span<const RuleInfo> kmem_rules() { return kRules; }
namespace {

bool is_dax_name(std::string_view name) {
    return name.size() > 3 && name.substr(0, 3) == "dax" && std::isdigit(static_cast<unsigned char>(name[3])) != 0 &&
           name.find('.') != std::string_view::npos;
}

std::string suggest(const KmemDeviceAudit& a) {
    if (!a.plan.hotplug && a.range.size().bytes() < a.block_size)
        return fmt::format("the device is smaller than one {} memory block: give it at least {} on a {} boundary", human_size(ByteSize{a.block_size}),
                           human_size(ByteSize{a.block_size}), human_size(ByteSize{a.block_size}));
    if (a.plan.stranded().bytes() == 0) return "nothing to change";
    std::vector<std::string> steps;
    if (a.plan.stranded_head.bytes()) {
        // A namespace can only be aligned to 4K, 2M or 1G (nd_pfn_supported_alignments()), so the
        // lever is where the data starts: move it to the next (or previous) block boundary.
        const std::uint64_t up = a.plan.stranded_head.bytes() % a.block_size;
        std::string step = fmt::format("start the data on a {} boundary: move the namespace {} up or {} down", human_size(ByteSize{a.block_size}),
                                       human_size(ByteSize{up}), human_size(ByteSize{a.block_size - up}));
        if (a.block_size <= (1ull << 30) && (1ull << 30) % a.block_size == 0)
            step += " (ndctl create-namespace --align=1G also does, padding the namespace to the next GiB)";
        steps.push_back(step);
    }
    // The tail: the device must also end on a block boundary; with its start fixed, that is a size
    // in whole blocks.
    const std::uint64_t whole_blocks = a.range.size().bytes() / a.block_size * a.block_size;
    if (a.plan.stranded_tail.bytes())
        steps.push_back(fmt::format("end it on a {} boundary: {} shorter, or a size in whole blocks once its start is aligned (-s {}M: {} usable, "
                                    "nothing stranded)",
                                    human_size(ByteSize{a.block_size}), human_size(a.plan.stranded_tail), whole_blocks >> 20, human_size(ByteSize{whole_blocks})));
    std::string out;
    for (const auto& s : steps) out += (out.empty() ? "" : "; ") + s;
    return out;
}

}  // namespace

std::optional<std::uint64_t> block_size_for(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options) {
    if (options.block_size) return options.block_size;
    // max_pfn: the end of the highest RAM present at boot (driver-managed RAM came later).
    std::uint64_t boot_end = 0;
    for (const auto& e : tree.entries)
        if (e.name == "System RAM" && !e.parent)
            if (auto r = e.range()) boot_end = std::max(boot_end, r->end().value());
    if (boot_end == 0 && profile.arch == Arch::x86_64) return std::nullopt;
    return memory_block_size(profile, MemoryBlockInputs{boot_end, options.hypervisor});
}

KmemDeviceAudit audit_kmem_range(AddrRange range, std::string name, SourceLocation where, std::uint64_t block_size, std::uint64_t physmem_end) {
    KmemDeviceAudit a;
    a.name = std::move(name);
    a.where = std::move(where);
    a.range = range;
    a.block_size = block_size;
    a.plan = plan_kmem_range(range, block_size, KmemPolicy::kernel);
    a.relaxed = plan_kmem_range(range, block_size, KmemPolicy::relaxed);
    a.kernel_lines = kmem_messages(a.name, {a.plan});
    if (a.plan.hotplug && !hotplug_addressable(*a.plan.hotplug, physmem_end)) {
        a.add_failed = true;
        const auto failed = kmem_add_failure_messages(a.name, *a.plan.hotplug, physmem_end);
        a.kernel_lines.insert(a.kernel_lines.end(), failed.begin(), failed.end());
        a.zone = "-";
        a.suggestion = fmt::format("none through kmem: the range ends past the end of physical addressing ({:#x})", physmem_end);
        return a;
    }
    // daxctl reconfigure-device --mode=system-ram onlines movable unless told --no-movable.
    a.zone = a.plan.hotplug ? "Movable (daxctl default; --no-movable gives Normal)" : "-";
    a.suggestion = suggest(a);
    return a;
}

std::vector<KmemDeviceAudit> audit_kmem_iomem(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options) {
    std::vector<KmemDeviceAudit> out;
    const auto derived = block_size_for(tree, profile, options);
    // Without boot RAM in the dump, the smallest x86 block size is assumed and said so.
    const std::uint64_t block = derived.value_or(memory_block_size(profile, MemoryBlockInputs{0, true}));
    for (std::size_t index = 0; index < tree.entries.size(); ++index) {
        const IomemEntry& e = tree.entries[index];
        auto range = e.range();
        if (!is_dax_name(e.name) || !range) continue;
        auto a = audit_kmem_range(*range, e.name, SourceLocation{tree.source, e.line, std::min(e.depth, 5u) * 2 + 1, std::nullopt}, block,
                                  profile.physmem_end());
        a.block_size_assumed = !derived;
        for (std::size_t c : tree.children(index))
            if (is_system_ram_name(tree.entries[c].name))
                if (auto r = tree.entries[c].range()) {
                    a.onlined.push_back(*r);
                    a.onlined_bytes = ByteSize{a.onlined_bytes.bytes() + r->size().bytes()};
                }
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<Diagnostic> check_kmem(const std::vector<KmemDeviceAudit>& audits, const KmemAuditOptions& options) {
    std::vector<Diagnostic> out;
    for (const auto& a : audits) {
        if (a.add_failed) {
            out.push_back(make_finding(rules::kmem_rejected_region, a.where,
                                       fmt::format("{} {} ends past the end of physical addressing: memory hotplug says '{}' and kmem's probe fails "
                                                   "(-E2BIG); none of it becomes RAM",
                                                   a.name, mem_range(a.range), a.kernel_lines[a.kernel_lines.size() - 3]),
                                       a.range));
            continue;
        }
        if (!a.plan.hotplug) {
            out.push_back(make_finding(rules::kmem_rejected_region, a.where,
                                       fmt::format("{} {} has no whole {} memory block: kmem says '{}'", a.name, mem_range(a.range),
                                                   human_size(ByteSize{a.block_size}), a.kernel_lines.back()),
                                       a.range));
            continue;
        }
        if (a.plan.stranded().bytes() < options.stranded_threshold || a.plan.stranded().bytes() == 0) continue;
        out.push_back(make_finding(
            rules::kmem_stranded_capacity, a.where,
            fmt::format("{} {}: as RAM through kmem only {} of {} is usable; {} is stranded by {} memory-block alignment ({} at the start, {} "
                        "at the end; the relaxed start of the 2020 RFC that decreases kmem's alignment gap would strand {}). Fix: {}",
                        a.name, mem_range(a.range), human_size(a.plan.usable()), human_size(a.range.size()), human_size(a.plan.stranded()),
                        human_size(ByteSize{a.block_size}), human_size(a.plan.stranded_head), human_size(a.plan.stranded_tail),
                        human_size(a.relaxed.stranded()), a.suggestion),
            a.range));
    }
    return out;
}

std::vector<KmemDeviceAudit> audit_kmem_pmem(const std::vector<PmemRegion>& regions, std::uint64_t block, std::uint64_t physmem_end,
                                              const DaxNamespaceOptions& dax) {
    std::vector<KmemDeviceAudit> audits;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const auto range = devdax_range(regions[i].range, dax.map, dax.align);
        if (!range) continue;
        const std::string name = regions[i].name.empty() ? fmt::format("dax{}.0", i) : fmt::format("dax{}.0 ({})", i, regions[i].name);
        auto audit = audit_kmem_range(*range, name, regions[i].where, block, physmem_end);
        audit.block_size_assumed = false;
        audits.push_back(std::move(audit));
    }
    return audits;
}

std::vector<KmemDeviceAudit> audit_kmem_listing(const DaxListing& listing, std::uint64_t block_size, bool block_size_assumed, std::uint64_t physmem_end) {
    std::vector<KmemDeviceAudit> audits;
    for (const auto& d : listing.devices)
        for (std::size_t i = 0; i < d.mappings.size(); ++i) {
            const std::string name = d.mappings.size() == 1 ? d.name : fmt::format("{}/mapping{}", d.name, i);
            auto audit = audit_kmem_range(d.mappings[i], name, d.where, block_size, physmem_end);
            audit.block_size_assumed = block_size_assumed;
            audits.push_back(std::move(audit));
        }
    return audits;
}

std::optional<std::uint64_t> known_block_size(const KernelProfile& profile, const KmemAuditOptions& options, const IomemTree* iomem,
                                              const E820Table* booted) {
    if (options.block_size) return options.block_size;
    if (iomem) return block_size_for(*iomem, profile, options);
    if (booted) return memory_block_size(profile, MemoryBlockInputs{e820_end_of_ram(*booted), options.hypervisor});
    return std::nullopt;
}

}  // namespace bootmap
