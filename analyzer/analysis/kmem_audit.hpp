#pragma once
// What DAX kmem makes of every dax device a run knows of — in an iomem dump, a daxctl listing, pmem
// given to kmem by --dax-kmem, or a range given directly: the part onlined as RAM, the capacity
// stranded by memory-block alignment, what seed 004's relaxed policy would strand instead, and the
// namespace changes that would strand less, each recomputed rather than guessed.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/rule_info.hpp"
#include "core/diagnostic.hpp"
#include "kernel/kmem.hpp"
#include "model/e820.hpp"
#include "model/iomem.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> kmem_rules();

namespace rules {
inline constexpr std::string_view kmem_stranded_capacity = "kmem-stranded-capacity";
inline constexpr std::string_view kmem_rejected_region = "kmem-rejected-region";
}  // namespace rules

// Where the memory block size of an audit comes from, strongest first.
enum class BlockSizeBasis {
    given,     // --memory-block-size, the boot log's "Memory block size", block_size_bytes
    onlined,   // proved by where the dump's kmem RAM starts and ends
    boot_ram,  // the architecture's rule applied to the boot RAM the run knows
    assumed,   // nothing known: the architecture's smallest
};
std::string_view block_size_basis_text(BlockSizeBasis basis);

// Another way to lay out the same namespace, with what kmem would make of it.
struct KmemAlternative {
    std::string change;  // "ndctl create-namespace --align=1G", "start the namespace 92 MiB higher (0x105c00000)"
    AddrRange namespace_range;
    DaxNamespaceOptions options;
    ByteSize usable;
    ByteSize stranded;
    ByteSize page_map_in_ram;  // --map=mem: the namespace's page map, kept in RAM
};

struct KmemDeviceAudit {
    std::string name;                 // "dax0.0", or "--range" for a range given directly
    SourceLocation where;
    AddrRange range;                  // the dax device's range
    // False when the dump does not show where the device ends (a labelled namespace given to kmem
    // shows only its block-aligned part): the range ends where kmem's part does, so the tail
    // stranded is a lower bound.
    bool end_known = true;
    std::uint64_t block_size = 0;
    BlockSizeBasis basis = BlockSizeBasis::given;
    [[nodiscard]] bool block_size_assumed() const { return basis == BlockSizeBasis::assumed; }
    KmemRangePlan plan;               // under the kernel's rule
    KmemRangePlan relaxed;            // under seed 004's relaxed alignment
    // The block-aligned part ends past the end of physical addressing: memory hotplug refuses it and
    // the probe fails; nothing becomes RAM.
    bool add_failed = false;
    [[nodiscard]] ByteSize usable() const { return add_failed ? ByteSize{0} : plan.usable(); }
    [[nodiscard]] ByteSize stranded() const { return add_failed ? range.size() : plan.stranded(); }
    std::vector<AddrRange> onlined;   // System RAM already below the device in the dump
    ByteSize onlined_bytes;
    std::vector<std::string> kernel_lines;
    std::string zone;
    // The namespace the device was made from, when known, and how (map, alignment).
    std::optional<AddrRange> namespace_range;
    std::optional<DaxNamespaceOptions> namespace_options;
    std::vector<KmemAlternative> alternatives;  // each recomputed; only those that keep at least `usable()`
    std::string suggestion;
};

struct KmemAuditOptions {
    std::uint64_t block_size = 0;              // 0: from the profile and the dump
    bool hypervisor = true;
    std::uint64_t stranded_threshold = 64ull << 20;
};

// The geometry of a machine with `block_size` memory blocks.
KmemGeometry kmem_geometry(const KernelProfile& profile, std::uint64_t block_size);

std::vector<KmemDeviceAudit> audit_kmem_iomem(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options);
KmemDeviceAudit audit_kmem_range(AddrRange range, std::string name, SourceLocation where, const KmemGeometry& geometry,
                                 BlockSizeBasis basis = BlockSizeBasis::given);
// The platform's pmem regions (a VM's NVDIMMs, memmap=nn!ss), each as one devdax namespace given
// to kmem.
std::vector<KmemDeviceAudit> audit_kmem_pmem(const std::vector<PmemRegion>& regions, const KmemGeometry& geometry, BlockSizeBasis basis,
                                              const DaxNamespaceOptions& dax = {});
// The memory block size a run knows from its boot RAM: fixed by the options, else derived from a
// dump, else from the booted e820 map; nullopt when it has none of them (the size is then assumed).
std::optional<std::uint64_t> known_block_size(const KernelProfile& profile, const KmemAuditOptions& options, const IomemTree* iomem,
                                              const E820Table* booted);
// The devices of a `daxctl list -M` listing, one audit per mapping.
std::vector<KmemDeviceAudit> audit_kmem_listing(const DaxListing& listing, const KmemGeometry& geometry, BlockSizeBasis basis);
std::vector<Diagnostic> check_kmem(const std::vector<KmemDeviceAudit>& audits, const KmemAuditOptions& options);

// The block size bootmap assumes for a dump: the option if given, else the profile's rule applied
// to the end of boot RAM in the dump.
// nullopt when the dump has no boot RAM to derive it from (an excerpt).
std::optional<std::uint64_t> block_size_for(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options);

}  // namespace bootmap
