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
#include "kernel/e820.hpp"

namespace bootmap {

MemoryBlockFacts memory_block_facts(const AnalysisOptions& options) { return {options.kmem.block_size, options.kmem.hypervisor}; }

AnalysisReport analyze_machine(const Machine& machine, const AnalysisOptions& options) {
    return analyze_machine(machine, replay_boot(machine, memory_block_facts(options)), options);
}

AnalysisReport analyze_machine(const Machine& machine, const BootReplay& replay, const AnalysisOptions& given) {
    // The memory block size a boot's own log printed ("Memory block size: 2048MB") is that
    // machine's, unless the options fix another.
    AnalysisOptions options = given;
    if (!options.kmem.block_size && machine.boot_log && machine.boot_log->memory_block_size) options.kmem.block_size = *machine.boot_log->memory_block_size;
    AnalysisReport report;
    report.profile = machine.profile;
    report.assumptions = machine.assumptions;
    report.not_checked = unchecked_for_lack_of_inputs(machine);
    report.pmem = machine.pmem;
    if (machine.iomem) {
        report.inputs.push_back({machine.iomem->source, "iomem"});
        report.iomem_totals = iomem_totals(*machine.iomem);
        report.diagnostics = check_iomem(*machine.iomem, machine.profile, *report.iomem_totals);
        report.device_memory = device_memory(*machine.iomem);
        report.kmem = audit_kmem_iomem(*machine.iomem, machine.profile, options.kmem);
        auto kmem = check_kmem(report.kmem, options.kmem);
        report.diagnostics.insert(report.diagnostics.end(), kmem.begin(), kmem.end());
        report.iomem = machine.iomem;
    }
    if (machine.firmware_e820) {
        report.inputs.push_back({machine.firmware_e820->source, "e820"});
        if (replay.x86) {
            const X86Boot& boot = *replay.x86;
            report.e820_setup = boot.e820;
            auto found = check_e820_setup(machine, boot.e820);
            if (machine.cmdline) {
                auto crash = check_crashkernel(*machine.cmdline, boot);
                found.insert(found.end(), crash.begin(), crash.end());
                if (boot.dmem) {
                    auto dmem = check_dmem(*machine.cmdline, *boot.dmem);
                    found.insert(found.end(), dmem.begin(), dmem.end());
                    KernelProfile without_dmem = machine.profile;
                    without_dmem.dmem_config = false;
                    const auto plain = replay_x86_boot(*machine.firmware_e820, &*machine.cmdline, without_dmem, machine.srat ? &*machine.srat : nullptr);
                    auto left = check_dmem_leftovers(*machine.cmdline, boot, plain);
                    found.insert(found.end(), left.begin(), left.end());
                }
            }
            report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
            report.kernel_log = boot.log;
            report.assumptions.insert(report.assumptions.end(), boot.assumptions.begin(), boot.assumptions.end());
            if (boot.numa && !boot.numa->failed) report.numa = boot.numa->blocks;
            report.dmem = boot.dmem;
            if (boot.crashkernel && boot.crashkernel->reserved) {
                const auto& ck = *boot.crashkernel;
                report.crash_kernel.push_back({ck.base, ck.base + ck.size - 1, "Crash kernel"});
                if (ck.low) report.crash_kernel.push_back({ck.low->first, ck.low->first + ck.low->second - 1, "Crash kernel"});
            }
        }
        report.firmware_e820 = machine.firmware_e820;
    }
    // A VM's NVDIMMs, and with --dax-kmem the booted map's pmem (memmap=nn!ss), as device DAX given to
    // kmem: what becomes RAM and what the memory blocks strand.
    std::vector<PmemRegion> pmem = machine.pmem;
    pmem.insert(pmem.end(), replay.dax_kmem_regions.begin(), replay.dax_kmem_regions.end());
    if (!pmem.empty() && replay.memory_block_size) {
        const auto audits = audit_kmem_pmem(pmem, *replay.memory_block_size, machine.dax_kmem.value_or(DaxNamespaceOptions{}));
        auto found = check_kmem(audits, options.kmem);
        report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
        report.kmem.insert(report.kmem.end(), audits.begin(), audits.end());
        if (!machine.dax_kmem)
            report.assumptions.push_back("each NVDIMM becomes one devdax namespace (ndctl create-namespace --mode=devdax: map=dev, 2 MiB alignment) "
                                         "given to kmem");
    }
    if (machine.dax_listing) {
        // The block size follows the boot RAM this run knows of (a dump, or the booted e820 map).
        const auto block = known_block_size(machine.profile, options.kmem, report.iomem ? &*report.iomem : nullptr,
                                            report.e820_setup ? &report.e820_setup->final_map : nullptr);
        const auto audits = audit_kmem_listing(*machine.dax_listing, block.value_or(memory_block_size(machine.profile, MemoryBlockInputs{0, true})), !block);
        report.inputs.push_back({machine.dax_listing->source, "daxctl"});
        auto found = check_kmem(audits, options.kmem);
        report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
        report.kmem.insert(report.kmem.end(), audits.begin(), audits.end());
    }
    if (machine.device_tree && replay.arm64) {
        report.inputs.push_back({machine.device_tree->source, "device tree"});
        const KernelCommandLine* cmdline = machine.cmdline ? &*machine.cmdline : nullptr;
        const Arm64Boot& boot = *replay.arm64;
        // The same tree under the other reserved_mem implementation, to say what an upgrade or downgrade changes.
        KernelProfile other_profile = machine.profile;
        other_profile.version = machine.profile.dynamic_reserved_mem_array() ? KernelVersion{6, 1} : KernelVersion{6, 12};
        const auto other = replay_arm64_boot(machine.device_tree, cmdline, other_profile, machine.placement);
        auto found = check_device_tree(*machine.device_tree, boot, &other, machine.profile);
        if (cmdline) {
            auto placed = check_arm64_placements(*cmdline, boot);
            found.insert(found.end(), placed.begin(), placed.end());
        }
        report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
        report.kernel_log.insert(report.kernel_log.end(), boot.log.begin(), boot.log.end());
        report.dt_boot = boot;
    }
    if (machine.cmdline && !machine.firmware_e820 && machine.profile.arch == Arch::x86_64) {
        // No firmware map: the parameters can still be judged on their own.
        const auto setup = replay_x86_e820(E820Table{}, machine.cmdline->params, machine.profile);
        auto found = check_e820_setup(machine, setup);
        report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
    }
    for (const auto& other : machine.other_cmdlines) {
        // Other boot entries of the same file: judged on their own, without the machine's maps.
        Machine alone;
        alone.profile = machine.profile;
        alone.cmdline = other;
        auto found = check_cmdline(other);
        auto params = check_boot_params(other, machine.profile, nullptr);
        found.insert(found.end(), params.begin(), params.end());
        if (machine.profile.arch == Arch::x86_64) {
            auto edits = check_e820_setup(alone, replay_x86_e820(E820Table{}, other.params, machine.profile));
            found.insert(found.end(), edits.begin(), edits.end());
        }
        report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
    }
    if (machine.cmdline) {
        report.inputs.push_back({machine.cmdline->source, "cmdline"});
        report.cmdline = machine.cmdline->text;
        auto found = check_cmdline(*machine.cmdline);
        auto params = check_boot_params(*machine.cmdline, machine.profile, machine.firmware_e820 ? &*machine.firmware_e820 : nullptr);
        found.insert(found.end(), params.begin(), params.end());
        report.diagnostics.insert(report.diagnostics.begin(), found.begin(), found.end());
    }
    return report;
}

}  // namespace bootmap
