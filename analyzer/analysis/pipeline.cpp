#include "analysis/pipeline.hpp"

#include "analysis/boot_param_checks.hpp"
#include "analysis/check_coverage.hpp"
#include "analysis/cmdline_checks.hpp"
#include "analysis/crashkernel_checks.hpp"
#include "analysis/dmem_checks.hpp"
#include "analysis/dt_checks.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/x86_boot.hpp"
#include "analysis/e820_checks.hpp"
#include "analysis/iomem_checks.hpp"
#include "analysis/numa_checks.hpp"
#include "analysis/ram_account.hpp"
#include "kernel/e820.hpp"

namespace bootmap {

MemoryBlockFacts memory_block_facts(const AnalysisOptions& options) { return {options.kmem.block_size, options.kmem.hypervisor}; }

AnalysisOptions options_for(const Machine& machine, AnalysisOptions options) {
    if (!options.kmem.block_size && machine.boot_log && machine.boot_log->memory_block_size) options.kmem.block_size = *machine.boot_log->memory_block_size;
    return options;
}

AnalysisReport analyze_machine(const Machine& machine, const AnalysisOptions& options) {
    return analyze_machine(machine, replay_boot(machine, memory_block_facts(options)), options);
}

namespace {

void add(std::vector<Diagnostic>& to, const std::vector<Diagnostic>& found) { to.insert(to.end(), found.begin(), found.end()); }

// A dump: its totals, its resource rules, its device memory and the kmem audit of its dax devices.
void analyze_iomem(const Machine& machine, const AnalysisOptions& options, AnalysisReport& report) {
    report.inputs.push_back({machine.iomem->source, "iomem"});
    report.iomem_totals = iomem_totals(*machine.iomem);
    report.diagnostics = check_iomem(*machine.iomem, machine.profile, *report.iomem_totals);
    report.device_memory = device_memory(*machine.iomem);
    report.kmem = audit_kmem_iomem(*machine.iomem, machine.profile, options.kmem);
    add(report.diagnostics, check_kmem(report.kmem, options.kmem));
    report.iomem = machine.iomem;
}

// dmem= against the same boot without it, to blame dmem for what only it pushes out.
std::vector<Diagnostic> dmem_findings(const Machine& machine, const X86Boot& boot) {
    std::vector<Diagnostic> found = check_dmem(*machine.cmdline, *boot.dmem);
    KernelProfile without_dmem = machine.profile;
    without_dmem.dmem_config = false;
    const auto plain = replay_x86_boot(*machine.firmware_e820, &*machine.cmdline, without_dmem, machine.srat ? &*machine.srat : nullptr);
    add(found, check_dmem_leftovers(*machine.cmdline, boot, plain));
    return found;
}

// The x86 boot from the firmware map: the command line's edits, crash kernel, dmem, NUMA.
void analyze_x86_boot(const Machine& machine, const X86Boot& boot, AnalysisReport& report) {
    report.e820_setup = boot.e820;
    auto found = check_e820_setup(machine, boot.e820);
    if (machine.srat && boot.numa) add(found, check_numa(*machine.srat, *boot.numa, e820_end_of_ram(boot.e820.final_map)));
    if (machine.cmdline) {
        add(found, check_crashkernel(*machine.cmdline, boot));
        if (boot.dmem) add(found, dmem_findings(machine, boot));
    }
    add(report.diagnostics, found);
    report.kernel_log = boot.log;
    report.assumptions.insert(report.assumptions.end(), boot.assumptions.begin(), boot.assumptions.end());
    if (boot.numa && !boot.numa->failed) report.numa = boot.numa->blocks;
    report.dmem = boot.dmem;
    report.ram.push_back(x86_ram_account(machine, boot, machine.cmdline ? &*machine.cmdline : nullptr, "predicted boot"));
    // The boot the log records, when the command line predicted is another: what the change costs.
    if (machine.logged_cmdline && (!machine.cmdline || machine.cmdline->text != machine.logged_cmdline->text)) {
        Machine logged = machine;
        logged.cmdline = machine.logged_cmdline;
        report.ram.push_back(x86_ram_account(logged, replay_x86_boot(logged), &*logged.cmdline, "logged boot"));
    }
    if (boot.crashkernel && boot.crashkernel->reserved) {
        const auto& ck = *boot.crashkernel;
        report.crash_kernel.push_back({ck.base, ck.base + ck.size - 1, "Crash kernel"});
        if (ck.low) report.crash_kernel.push_back({ck.low->first, ck.low->first + ck.low->second - 1, "Crash kernel"});
    }
}

// A VM's NVDIMMs, and with --dax-kmem the booted map's pmem (memmap=nn!ss), as device DAX given to
// kmem: what becomes RAM and what the memory blocks strand.
void analyze_kmem_pmem(const Machine& machine, const BootReplay& replay, const AnalysisOptions& options, AnalysisReport& report) {
    std::vector<PmemRegion> pmem = machine.pmem;
    pmem.insert(pmem.end(), replay.dax_kmem_regions.begin(), replay.dax_kmem_regions.end());
    if (pmem.empty() || !replay.memory_block_size) return;
    DaxNamespaceOptions dax;
    dax.align = default_namespace_alignment(std::uint64_t{1} << machine.profile.page_shift);
    const auto basis = options.kmem.block_size ? BlockSizeBasis::given : BlockSizeBasis::boot_ram;
    const auto audits = audit_kmem_pmem(pmem, kmem_geometry(machine.profile, *replay.memory_block_size), basis, machine.dax_kmem.value_or(dax));
    add(report.diagnostics, check_kmem(audits, options.kmem));
    report.kmem.insert(report.kmem.end(), audits.begin(), audits.end());
    if (!machine.dax_kmem)
        report.assumptions.push_back("each NVDIMM becomes one devdax namespace (ndctl create-namespace --mode=devdax: map=dev, 2 MiB alignment) "
                                     "given to kmem");
}

// Devices known by their ranges alone: a daxctl listing's, or given as --range.
void analyze_dax_listing(const Machine& machine, const AnalysisOptions& options, AnalysisReport& report) {
    DaxListing listing;
    if (machine.dax_listing) {
        listing = *machine.dax_listing;
        report.inputs.push_back({machine.dax_listing->source, "daxctl"});
    }
    listing.devices.insert(listing.devices.end(), machine.dax_ranges.begin(), machine.dax_ranges.end());
    if (listing.devices.empty()) return;
    // The block size follows what this run knows: given, the boot RAM of a dump or of the booted
    // e820 map, what a dump's kmem RAM proves (its audits say), else the smallest is assumed.
    auto block = known_block_size(machine.profile, options.kmem, report.iomem ? &*report.iomem : nullptr,
                                  report.e820_setup ? &report.e820_setup->final_map : nullptr);
    BlockSizeBasis basis = options.kmem.block_size ? BlockSizeBasis::given : block ? BlockSizeBasis::boot_ram : BlockSizeBasis::assumed;
    if (!report.kmem.empty() && report.kmem.front().basis < basis) {
        block = report.kmem.front().block_size;
        basis = report.kmem.front().basis;
    }
    const auto audits = audit_kmem_listing(listing, kmem_geometry(machine.profile, block.value_or(memory_block_size(machine.profile, MemoryBlockInputs{0, true}))), basis);
    add(report.diagnostics, check_kmem(audits, options.kmem));
    report.kmem.insert(report.kmem.end(), audits.begin(), audits.end());
}

// A boot capture's devices as they are now, when the run plans no other.
void analyze_booted_dax(const Machine& machine, const AnalysisOptions& options, AnalysisReport& report) {
    if (machine.iomem || !machine.booted_iomem || machine.dax_kmem) return;
    const auto audits = audit_kmem_iomem(*machine.booted_iomem, machine.profile, options.kmem);
    add(report.diagnostics, check_kmem(audits, options.kmem));
    report.kmem.insert(report.kmem.end(), audits.begin(), audits.end());
}

void analyze_device_tree(const Machine& machine, const Arm64Boot& boot, AnalysisReport& report) {
    report.inputs.push_back({machine.device_tree->source, "device tree"});
    const KernelCommandLine* cmdline = machine.cmdline ? &*machine.cmdline : nullptr;
    // The same tree under the other reserved_mem implementation, to say what an upgrade or downgrade changes.
    KernelProfile other_profile = machine.profile;
    other_profile.version = machine.profile.dynamic_reserved_mem_array() ? KernelVersion{6, 1} : KernelVersion{6, 12};
    std::vector<Diagnostic> found;
    if (boot.fdt.memory.empty() && machine.placement.firmware_memory.empty()) {
        // The bootloader fills /memory: all of the address space stands in for the RAM, so static
        // regions are judged against each other; nothing that needs the RAM is.
        BootPlacement stand_in = machine.placement;
        stand_in.ram = {*AddrRange::from_size(PhysAddr{0}, ByteSize{machine.profile.physmem_end()})};
        const auto judged = replay_arm64_boot(machine.device_tree, cmdline, machine.profile, stand_in);
        found = check_device_tree(*machine.device_tree, judged, nullptr, machine.profile, true);
    } else {
        const auto other = replay_arm64_boot(machine.device_tree, cmdline, other_profile, machine.placement);
        found = check_device_tree(*machine.device_tree, boot, &other, machine.profile);
        if (cmdline) add(found, check_arm64_placements(*cmdline, boot));
        report.ram.push_back(arm64_ram_account(machine, boot, cmdline, "predicted boot"));
    }
    add(report.diagnostics, found);
    report.kernel_log.insert(report.kernel_log.end(), boot.log.begin(), boot.log.end());
    report.dt_boot = boot;
}

// Another boot entry of the same bootloader files (a recovery entry, an older kernel's): judged with
// the same memory checks as the one predicted, on the machine's own maps when they are known —
// its memmap= against the firmware map, its crash kernel and CMA placed as that boot would.
std::vector<Diagnostic> check_other_entry(const Machine& machine, const KernelCommandLine& other) {
    Machine alone;
    alone.profile = machine.profile;
    alone.cmdline = other;
    alone.firmware_e820 = machine.firmware_e820;
    auto found = check_cmdline(other);
    add(found, check_boot_params(other, machine.profile, machine.firmware_e820 ? &*machine.firmware_e820 : nullptr));
    if (machine.profile.arch == Arch::x86_64 && machine.firmware_e820) {
        const auto boot = replay_x86_boot(*machine.firmware_e820, &other, machine.profile, machine.srat ? &*machine.srat : nullptr);
        add(found, check_e820_setup(alone, boot.e820));
        add(found, check_crashkernel(other, boot));
    } else if (machine.profile.arch == Arch::x86_64) {
        add(found, check_e820_setup(alone, replay_x86_e820(E820Table{}, other.params, machine.profile)));
    } else if (machine.device_tree) {
        add(found, check_arm64_placements(other, replay_arm64_boot(machine.device_tree, &other, machine.profile, machine.placement)));
    }
    return found;
}

// The command lines on their own: the one booted (first in the report) and the file's other entries.
void analyze_cmdlines(const Machine& machine, AnalysisReport& report) {
    if (machine.cmdline && !machine.firmware_e820 && machine.profile.arch == Arch::x86_64) {
        // No firmware map: the parameters can still be judged on their own.
        const auto setup = replay_x86_e820(E820Table{}, machine.cmdline->params, machine.profile);
        add(report.diagnostics, check_e820_setup(machine, setup));
    }
    for (const auto& other : machine.other_cmdlines) add(report.diagnostics, check_other_entry(machine, other));
    if (machine.cmdline) {
        report.inputs.push_back({machine.cmdline->source, "cmdline"});
        report.cmdline = machine.cmdline->text;
        auto found = check_cmdline(*machine.cmdline);
        add(found, check_boot_params(*machine.cmdline, machine.profile, machine.firmware_e820 ? &*machine.firmware_e820 : nullptr));
        report.diagnostics.insert(report.diagnostics.begin(), found.begin(), found.end());
    }
}

// Each input with the format it was read as; files that gave the analyses nothing they list (an
// environment without bootargs, a log beside a capture's map) are listed too: every file given is used.
void describe_inputs(const Machine& machine, AnalysisReport& report) {
    for (const auto& read : machine.inputs_read) {
        bool listed = false;
        for (auto& input : report.inputs)
            if (input.file == read.file && input.format.empty()) {
                input.format = read.format;
                listed = true;
            }
        if (!listed && std::none_of(report.inputs.begin(), report.inputs.end(), [&](const InputSummary& i) { return i.file == read.file; }))
            report.inputs.push_back({read.file, read.kind, read.format});
    }
}

}  // namespace

AnalysisReport analyze_machine(const Machine& machine, const BootReplay& replay, const AnalysisOptions& given) {
    const AnalysisOptions options = options_for(machine, given);
    AnalysisReport report;
    report.profile = machine.profile;
    report.assumptions = machine.assumptions;
    report.not_checked = unchecked_for_lack_of_inputs(machine);
    report.pmem = machine.pmem;
    if (machine.iomem) analyze_iomem(machine, options, report);
    if (machine.firmware_e820) {
        report.inputs.push_back({machine.firmware_e820->source, "e820"});
        if (replay.x86) analyze_x86_boot(machine, *replay.x86, report);
        report.firmware_e820 = machine.firmware_e820;
    }
    analyze_kmem_pmem(machine, replay, options, report);
    analyze_booted_dax(machine, options, report);
    analyze_dax_listing(machine, options, report);
    if (machine.device_tree && replay.arm64) analyze_device_tree(machine, *replay.arm64, report);
    analyze_cmdlines(machine, report);
    describe_inputs(machine, report);
    return report;
}

}  // namespace bootmap
