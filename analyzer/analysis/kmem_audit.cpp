#include "analysis/kmem_audit.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analysis/finding.hpp"
#include "kernel/e820.hpp"
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

constexpr std::uint64_t kSubsection = 2ull << 20;  // the finest step a namespace's start can take

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_dax_name(std::string_view name) {
    return name.size() > 3 && starts_with(name, "dax") && std::isdigit(static_cast<unsigned char>(name[3])) != 0 &&
           name.find('.') != std::string_view::npos;
}

// Containers a dax device spans whole: a legacy pmem region is one namespace, a CXL region or a Soft
// Reserved range one dax region. A labelled "Persistent Memory" region may hold several namespaces.
bool spans_whole_device(std::string_view parent) {
    return parent == "Persistent Memory (legacy)" || starts_with(parent, "region") || parent == "Soft Reserved" || starts_with(parent, "hmem");
}

// ndctl's spelling of a size: 2M, 1G, 64K.
std::string alignment_option(std::uint64_t align) {
    if (align % (1ull << 30) == 0) return fmt::format("{}G", align >> 30);
    if (align % (1ull << 20) == 0) return fmt::format("{}M", align >> 20);
    return fmt::format("{}K", align >> 10);
}

std::string namespace_change(const DaxNamespaceOptions& from, const DaxNamespaceOptions& to) {
    std::string out = "ndctl create-namespace";
    if (to.map != from.map) out += to.map == DevdaxMap::mem ? " --map=mem" : " --map=dev";
    if (to.align != from.align) out += " --align=" + alignment_option(to.align);
    return out;
}

struct Outcome {
    ByteSize usable;
    ByteSize stranded;
    ByteSize page_map_in_ram;
    // What the machine gains as RAM: kmem's part less the page map a --map=mem namespace keeps in RAM.
    [[nodiscard]] std::int64_t net() const { return static_cast<std::int64_t>(usable.bytes()) - static_cast<std::int64_t>(page_map_in_ram.bytes()); }
};

// 64 bytes of page map (MAX_STRUCT_PAGE_SIZE) per page of the namespace, in RAM with --map=mem.
ByteSize page_map_in_ram(AddrRange ns, const DaxNamespaceOptions& options, const KmemGeometry& g) {
    return ByteSize{options.map == DevdaxMap::mem ? ns.size().bytes() / g.page_size * 64 : 0};
}

Outcome outcome_of(AddrRange ns, const DaxNamespaceOptions& options, const KmemGeometry& g) {
    const auto dax = devdax_range(ns, options.map, options.align, g.page_size);
    const ByteSize map_cost = page_map_in_ram(ns, options, g);
    if (!dax) return {ByteSize{0}, ns.size(), map_cost};
    const auto plan = plan_kmem_range(*dax, g.block_size, KmemPolicy::kernel, g.page_size);
    if (plan.hotplug && !hotplug_addressable(*plan.hotplug, g.physmem_end)) return {ByteSize{0}, dax->size(), map_cost};
    return {plan.usable(), plan.stranded(), map_cost};
}

// Every other way to lay out the same namespace that keeps at least as much RAM and strands less:
// another map or alignment, or a start moved up to where the data lands on a block boundary.
std::vector<KmemAlternative> alternatives_for(const KmemDeviceAudit& a, const KmemGeometry& g) {
    std::vector<KmemAlternative> out;
    if (!a.namespace_range || !a.namespace_options) return out;
    const AddrRange ns = *a.namespace_range;
    const DaxNamespaceOptions now = *a.namespace_options;
    const Outcome current{a.usable(), a.stranded(), page_map_in_ram(ns, now, g)};
    const auto keep = [&](std::string change, AddrRange range, const DaxNamespaceOptions& options) {
        const Outcome o = outcome_of(range, options, g);
        const bool better = o.net() > current.net() || (o.net() == current.net() && o.stranded.bytes() < current.stranded.bytes());
        if (o.net() >= current.net() && better) out.push_back({std::move(change), range, options, o.usable, o.stranded, o.page_map_in_ram});
    };
    // Alignments below a subsection act as one (memremap_compat_align()): the largest of them stands for all.
    std::vector<std::uint64_t> aligns;
    for (const std::uint64_t align : namespace_alignments(g.page_size)) {
        if (!aligns.empty() && std::max(aligns.back(), kSubsection) == std::max(align, kSubsection)) aligns.pop_back();
        aligns.push_back(align);
    }
    for (const DevdaxMap map : {DevdaxMap::dev, DevdaxMap::mem})
        for (const std::uint64_t align : aligns) {
            const DaxNamespaceOptions other{map, align};
            if (other.map == now.map && std::max(other.align, kSubsection) == std::max(now.align, kSubsection)) continue;
            keep(namespace_change(now, other), ns, other);
        }
    for (std::uint64_t shift = kSubsection; a.stranded().bytes() != 0 && shift <= 2 * g.block_size && shift < ns.size().bytes(); shift += kSubsection) {
        const auto moved = AddrRange::from_bounds(PhysAddr{ns.begin().value() + shift}, ns.end());
        if (!moved) break;
        const auto dax = devdax_range(*moved, now.map, now.align, g.page_size);
        if (!dax || dax->begin().value() % g.block_size != 0) continue;
        keep(fmt::format("start the namespace {} higher (at {:#x}, {} smaller)", human_size(ByteSize{shift}), moved->begin().value(),
                         human_size(ByteSize{shift})),
             *moved, now);
        break;
    }
    std::stable_sort(out.begin(), out.end(), [](const KmemAlternative& x, const KmemAlternative& y) {
        const auto net = [](const KmemAlternative& k) { return static_cast<std::int64_t>(k.usable.bytes()) - static_cast<std::int64_t>(k.page_map_in_ram.bytes()); };
        return net(x) != net(y) ? net(x) > net(y) : x.stranded.bytes() < y.stranded.bytes();
    });
    return out;
}

std::string suggest(const KmemDeviceAudit& a) {
    const std::string block = human_size(ByteSize{a.block_size});
    if (!a.plan.hotplug && a.range.size().bytes() < a.block_size)
        return fmt::format("the device is smaller than one {} memory block: give it at least {} on a {} boundary", block, block, block);
    if (!a.alternatives.empty()) {
        const auto& best = a.alternatives.front();
        return fmt::format("{}: {} as RAM{}, {} stranded", best.change, human_size(best.usable),
                           best.page_map_in_ram.bytes() ? fmt::format(" (its page map takes {} of RAM)", human_size(best.page_map_in_ram)) : "",
                           human_size(best.stranded));
    }
    if (a.stranded().bytes() == 0) return a.end_known ? "nothing to change" : "nothing stranded at the start; where the device ends is not in the dump";
    if (a.namespace_range && a.namespace_options)
        return fmt::format("no other layout of this namespace strands less: its data starts {} past a {} boundary", human_size(a.plan.stranded_head),
                           block);
    std::vector<std::string> steps;
    if (a.plan.stranded_head.bytes())
        steps.push_back(fmt::format("start the data on a {} boundary ({} higher)", block, human_size(a.plan.stranded_head)));
    if (a.plan.stranded_tail.bytes())
        steps.push_back(fmt::format("end it on a {} boundary ({} shorter)", block, human_size(a.plan.stranded_tail)));
    std::string out;
    for (const auto& s : steps) out += (out.empty() ? "" : "; ") + s;
    return out;
}

void finish(KmemDeviceAudit& a, const KmemGeometry& g) {
    a.alternatives = alternatives_for(a, g);
    a.suggestion = suggest(a);
}

// The namespace a device was made from, once known: the alternatives are recomputed from it.
void known_namespace(KmemDeviceAudit& a, AddrRange ns, std::optional<DaxNamespaceOptions> options, const KmemGeometry& g) {
    a.namespace_range = ns;
    a.namespace_options = options;
    if (!a.add_failed) finish(a, g);
}

// How a namespace whose data starts at `data_start` was made: the first map and alignment that put
// it there (ndctl's defaults first).
std::optional<DaxNamespaceOptions> infer_namespace_options(AddrRange ns, PhysAddr data_start, std::uint64_t page_size) {
    std::vector<std::uint64_t> aligns = namespace_alignments(page_size);
    std::stable_partition(aligns.begin(), aligns.end(), [&](std::uint64_t x) { return x == default_namespace_alignment(page_size); });
    for (const DevdaxMap map : {DevdaxMap::dev, DevdaxMap::mem})
        for (const std::uint64_t align : aligns)
            if (const auto dax = devdax_range(ns, map, align, page_size); dax && dax->begin() == data_start) return DaxNamespaceOptions{map, align};
    return std::nullopt;
}

// One dax device as a dump shows it. Given to device_dax, its entry is the whole device; given to
// kmem, only the block-aligned part kmem requested is named daxN.M, and the device is recovered from
// its neighbours: it starts where its namespace's reserved part ends (or where its container
// starts) and ends where its container ends, when the container holds only it.
struct DaxInDump {
    AddrRange dax;
    AddrRange device;
    bool end_known = true;
    bool start_known = true;
    bool kmem_bound = false;
    std::optional<AddrRange> namespace_range;
    std::vector<AddrRange> onlined;
};

DaxInDump dax_in_dump(const IomemTree& tree, std::size_t index, AddrRange dax) {
    DaxInDump d{dax, dax};
    for (std::size_t c : tree.children(index))
        if (is_system_ram_name(tree.entries[c].name))
            if (auto r = tree.entries[c].range()) d.onlined.push_back(*r);
    d.kmem_bound = !d.onlined.empty();
    const auto parent = tree.entries[index].parent;
    // Its place among its siblings (at the top level or under its parent): the one just before it,
    // and whether it is the first or the last.
    struct Place {
        std::optional<std::size_t> previous;
        bool first = false;
        bool last = false;
    };
    const auto place_in = [&](const auto& siblings) {
        Place p;
        const auto at = std::find(siblings.begin(), siblings.end(), index);
        if (at == siblings.end()) return p;
        p.first = at == siblings.begin();
        p.last = at + 1 == siblings.end();
        if (!p.first) p.previous = static_cast<std::size_t>(*(at - 1));
        return p;
    };
    const Place place = parent ? place_in(tree.children(*parent)) : place_in(tree.roots);
    const auto& previous = place.previous;
    const std::optional<AddrRange> container = parent ? tree.entries[*parent].range() : std::nullopt;
    const bool whole = container && spans_whole_device(tree.entries[*parent].name);
    std::optional<AddrRange> ns_reserve;
    if (previous) {
        const IomemEntry& before = tree.entries[*previous];
        if (starts_with(before.name, "namespace"))
            if (auto r = before.range(); r && r->end().value() <= dax.begin().value() && dax.begin().value() - r->end().value() < (1ull << 40))
                ns_reserve = r;
    }
    if (!d.kmem_bound) {
        if (ns_reserve && ns_reserve->end() == dax.begin())
            d.namespace_range = AddrRange::from_bounds(ns_reserve->begin(), whole ? container->end() : dax.end());
        return d;
    }
    PhysAddr start = dax.begin();
    if (ns_reserve)
        start = ns_reserve->end();
    else if (whole && place.first)
        start = container->begin();
    else
        d.start_known = false;
    PhysAddr end = dax.end();
    d.end_known = whole && place.last;
    if (d.end_known) end = PhysAddr{container->end().value() / kSubsection * kSubsection};
    if (auto device = AddrRange::from_bounds(start, std::max(end, dax.end()))) d.device = *device;
    if (ns_reserve) d.namespace_range = AddrRange::from_bounds(ns_reserve->begin(), d.end_known ? container->end() : d.device.end());
    return d;
}

}  // namespace

std::span<const RuleInfo> kmem_rules() { return kRules; }

std::string_view block_size_basis_text(BlockSizeBasis basis) {
    switch (basis) {
        case BlockSizeBasis::given: return "given: --memory-block-size, the log's \"Memory block size\" or block_size_bytes";
        case BlockSizeBasis::onlined: return "as the dump's kmem RAM shows";
        case BlockSizeBasis::boot_ram: return "the architecture's rule for the boot RAM";
        case BlockSizeBasis::assumed: return "assumed: nothing shows the boot RAM; give --memory-block-size or a log with \"Memory block size\"";
    }
    return "";
}

KmemGeometry kmem_geometry(const KernelProfile& profile, std::uint64_t block_size) {
    return KmemGeometry{block_size, std::uint64_t{1} << profile.page_shift, profile.physmem_end()};
}

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

KmemDeviceAudit audit_kmem_range(AddrRange range, std::string name, SourceLocation where, const KmemGeometry& g, BlockSizeBasis basis) {
    KmemDeviceAudit a;
    a.name = std::move(name);
    a.where = std::move(where);
    a.range = range;
    a.block_size = g.block_size;
    a.basis = basis;
    a.plan = plan_kmem_range(range, g.block_size, KmemPolicy::kernel, g.page_size);
    a.relaxed = plan_kmem_range(range, g.block_size, KmemPolicy::relaxed, g.page_size);
    a.kernel_lines = kmem_messages(a.name, {a.plan});
    if (a.plan.hotplug && !hotplug_addressable(*a.plan.hotplug, g.physmem_end)) {
        a.add_failed = true;
        const auto failed = kmem_add_failure_messages(a.name, *a.plan.hotplug, g.physmem_end);
        a.kernel_lines.insert(a.kernel_lines.end(), failed.begin(), failed.end());
        a.zone = "-";
        a.suggestion = fmt::format("none through kmem: the range ends past the end of physical addressing ({:#x})", g.physmem_end);
        return a;
    }
    // daxctl reconfigure-device --mode=system-ram onlines movable unless told --no-movable.
    a.zone = a.plan.hotplug ? "Movable (daxctl default; --no-movable gives Normal)" : "-";
    finish(a, g);
    return a;
}

std::vector<KmemDeviceAudit> audit_kmem_iomem(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options) {
    std::vector<std::pair<std::size_t, DaxInDump>> devices;
    for (std::size_t index = 0; index < tree.entries.size(); ++index)
        if (is_dax_name(tree.entries[index].name))
            if (auto range = tree.entries[index].range()) devices.emplace_back(index, dax_in_dump(tree, index, *range));
    if (devices.empty()) return {};

    const auto derived = block_size_for(tree, profile, options);
    std::uint64_t block = derived.value_or(memory_block_size(profile, MemoryBlockInputs{0, true}));
    BlockSizeBasis basis = options.block_size ? BlockSizeBasis::given : derived ? BlockSizeBasis::boot_ram : BlockSizeBasis::assumed;
    if (!options.block_size) {
        // What kmem added proves the block size: the sizes every onlined device allows.
        std::optional<std::vector<std::uint64_t>> common;
        for (const auto& [index, d] : devices) {
            if (!d.kmem_bound || !d.start_known || d.onlined.size() != 1) continue;
            auto fits = block_sizes_consistent_with(d.dax, d.device.begin(), d.end_known ? std::optional(d.device.end()) : std::nullopt);
            if (common) std::erase_if(*common, [&](std::uint64_t b) { return std::find(fits.begin(), fits.end(), b) == fits.end(); });
            else common = std::move(fits);
        }
        if (common && !common->empty()) {
            if (std::find(common->begin(), common->end(), block) == common->end()) {
                const std::uint64_t floor = memory_block_size(profile, MemoryBlockInputs{0, true});
                const auto at_least = std::find_if(common->begin(), common->end(), [&](std::uint64_t b) { return b >= floor; });
                block = at_least != common->end() ? *at_least : common->front();
                basis = BlockSizeBasis::onlined;
            } else if (common->size() == 1) {
                basis = BlockSizeBasis::onlined;
            }
        }
    }
    const KmemGeometry g = kmem_geometry(profile, block);
    std::vector<KmemDeviceAudit> out;
    for (const auto& [index, d] : devices) {
        const IomemEntry& e = tree.entries[index];
        KmemDeviceAudit a = audit_kmem_range(d.device, e.name, SourceLocation{tree.source, e.line, std::min(e.depth, 5u) * 2 + 1, std::nullopt}, g, basis);
        a.end_known = d.end_known;
        if (d.namespace_range)
            known_namespace(a, *d.namespace_range, infer_namespace_options(*d.namespace_range, d.device.begin(), g.page_size), g);
        else if (!a.add_failed)
            a.suggestion = suggest(a);  // with what is known of the end
        a.onlined = d.onlined;
        for (const auto& r : d.onlined) a.onlined_bytes = ByteSize{a.onlined_bytes.bytes() + r.size().bytes()};
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
        const std::uint64_t gain = a.alternatives.empty() || a.alternatives.front().usable.bytes() < a.usable().bytes()
                                       ? 0
                                       : a.alternatives.front().usable.bytes() - a.usable().bytes();
        if (a.plan.stranded().bytes() < options.stranded_threshold && gain >= options.stranded_threshold && a.namespace_range) {
            // Nothing stranded by the blocks, but the namespace's layout itself costs RAM (a 1 GiB
            // alignment pads its data to the next GiB).
            out.push_back(make_finding(rules::kmem_stranded_capacity, a.where,
                                       fmt::format("{} {}: as RAM through kmem {} of the {} namespace {} is usable; {} more with another layout. Fix: {}",
                                                   a.name, mem_range(a.range), human_size(a.plan.usable()), human_size(a.namespace_range->size()),
                                                   mem_range(*a.namespace_range), human_size(ByteSize{gain}), a.suggestion),
                                       a.range));
            continue;
        }
        if (a.plan.stranded().bytes() < options.stranded_threshold || a.plan.stranded().bytes() == 0) continue;
        std::string tail = fmt::format("{} at the end", human_size(a.plan.stranded_tail));
        if (!a.end_known) tail = "the end is not in the dump";
        const std::string fix = a.alternatives.empty() ? a.suggestion : fmt::format("Fix: {}", a.suggestion);
        out.push_back(make_finding(
            rules::kmem_stranded_capacity, a.where,
            fmt::format("{} {}: as RAM through kmem only {} of {} is usable; {}{} is stranded by {} memory-block alignment ({} at the start, {}; "
                        "the relaxed alignment of the 2020 RFC that decreases kmem's alignment gap would strand {}). {}",
                        a.name, mem_range(a.range), human_size(a.plan.usable()), human_size(a.range.size()), a.end_known ? "" : "at least ",
                        human_size(a.plan.stranded()), human_size(ByteSize{a.block_size}), human_size(a.plan.stranded_head), tail,
                        human_size(a.relaxed.stranded()), fix),
            a.range));
    }
    return out;
}

std::vector<KmemDeviceAudit> audit_kmem_pmem(const std::vector<PmemRegion>& regions, const KmemGeometry& g, BlockSizeBasis basis,
                                              const DaxNamespaceOptions& dax) {
    std::vector<KmemDeviceAudit> audits;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const auto range = devdax_range(regions[i].range, dax.map, dax.align, g.page_size);
        if (!range) continue;
        const std::string name = regions[i].name.empty() ? fmt::format("dax{}.0", i) : fmt::format("dax{}.0 ({})", i, regions[i].name);
        KmemDeviceAudit audit = audit_kmem_range(*range, name, regions[i].where, g, basis);
        known_namespace(audit, regions[i].range, dax, g);
        audits.push_back(std::move(audit));
    }
    return audits;
}

std::vector<KmemDeviceAudit> audit_kmem_listing(const DaxListing& listing, const KmemGeometry& g, BlockSizeBasis basis) {
    std::vector<KmemDeviceAudit> audits;
    for (const auto& d : listing.devices)
        for (std::size_t i = 0; i < d.mappings.size(); ++i) {
            const std::string name = d.mappings.size() == 1 ? d.name : fmt::format("{}/mapping{}", d.name, i);
            audits.push_back(audit_kmem_range(d.mappings[i], name, d.where, g, basis));
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
