#pragma once
// What DAX kmem would make of every dax device in an iomem tree (or of a range given directly):
// the part onlined as RAM, the capacity stranded by memory-block alignment, what the relaxed policy
// of seed 004 would strand instead, and the change that would waste nothing.

#include <span>
#include <string_view>

#include "analysis/rule_info.hpp"
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "kernel/kmem.hpp"
#include "model/iomem.hpp"
#include "model/e820.hpp"
#include "model/machine.hpp"

namespace bootmap {

// This family's rules: IDs, severities, summaries (gathered by analysis/rule_catalogue).
std::span<const RuleInfo> kmem_rules();

namespace rules {
inline constexpr std::string_view kmem_stranded_capacity = "kmem-stranded-capacity";
inline constexpr std::string_view kmem_rejected_region = "kmem-rejected-region";
}  // namespace rules

struct KmemDeviceAudit {
    std::string name;                 // "dax0.0", or "--range" for a range given directly
    SourceLocation where;
    AddrRange range;
    std::uint64_t block_size = 0;
    bool block_size_assumed = false;  // the dump had no boot RAM to derive it from
    KmemRangePlan plan;               // under the kernel's rule
    KmemRangePlan relaxed;            // under seed 004's relaxed start alignment
    // The block-aligned part ends past the end of physical addressing: memory hotplug refuses it and
    // the probe fails; nothing becomes RAM.
    bool add_failed = false;
    [[nodiscard]] ByteSize usable() const { return add_failed ? ByteSize{0} : plan.usable(); }
    [[nodiscard]] ByteSize stranded() const { return add_failed ? range.size() : plan.stranded(); }
    std::vector<AddrRange> onlined;   // System RAM already below the device in the dump
    ByteSize onlined_bytes;
    std::vector<std::string> kernel_lines;
    std::string zone;
    std::string suggestion;
};

struct KmemAuditOptions {
    std::uint64_t block_size = 0;              // 0: from the profile and the dump
    bool hypervisor = true;
    std::uint64_t stranded_threshold = 64ull << 20;
};

std::vector<KmemDeviceAudit> audit_kmem_iomem(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options);
// `physmem_end`: where the pluggable range ends (KernelProfile::physmem_end()).
KmemDeviceAudit audit_kmem_range(AddrRange range, std::string name, SourceLocation where, std::uint64_t block_size, std::uint64_t physmem_end);
// The platform's pmem regions (a VM's NVDIMMs, memmap=nn!ss), each as one devdax namespace given
// to kmem in memory blocks of `block_size`.
std::vector<KmemDeviceAudit> audit_kmem_pmem(const std::vector<PmemRegion>& regions, std::uint64_t block_size, std::uint64_t physmem_end,
                                              const DaxNamespaceOptions& dax = {});
// The memory block size a run knows from its boot RAM: fixed by the options, else derived from a
// dump, else from the booted e820 map; nullopt when it has none of them (the size is then assumed).
std::optional<std::uint64_t> known_block_size(const KernelProfile& profile, const KmemAuditOptions& options, const IomemTree* iomem,
                                              const E820Table* booted);
// The devices of a `daxctl list -M` listing, one audit per mapping.
std::vector<KmemDeviceAudit> audit_kmem_listing(const DaxListing& listing, std::uint64_t block_size, bool block_size_assumed, std::uint64_t physmem_end);
std::vector<Diagnostic> check_kmem(const std::vector<KmemDeviceAudit>& audits, const KmemAuditOptions& options);

// The block size bootmap assumes for a dump: the option if given, else the profile's rule applied
// to the end of boot RAM in the dump.
// nullopt when the dump has no boot RAM to derive it from (an excerpt).
std::optional<std::uint64_t> block_size_for(const IomemTree& tree, const KernelProfile& profile, const KmemAuditOptions& options);

}  // namespace bootmap
