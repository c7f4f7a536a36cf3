#pragma once
// Everything an analysis run found, in one value that reporters format and never recompute.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/ram_account.hpp"
#include "analysis/device_memory.hpp"
#include "analysis/iomem_totals.hpp"
#include "analysis/kmem_audit.hpp"
#include "analysis/suppressions.hpp"
#include "core/diagnostic.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/dmem.hpp"
#include "kernel/numa.hpp"
#include "model/kernel_profile.hpp"
#include "kernel/x86_e820_setup.hpp"
#include "model/iomem.hpp"
#include "model/iomem.hpp"

namespace bootmap {

struct InputSummary {
    std::string file;
    std::string kind;  // "iomem", "cmdline", ...
    std::string format;  // the format the file was read as ("grub.cfg", "kernel log"); empty for a value given inline
};

struct AnalysisReport {
    KernelProfile profile;
    std::vector<InputSummary> inputs;
    std::shared_ptr<const IomemTree> iomem;  // the dump analysed (shared with the machine)
    std::optional<IomemTotals> iomem_totals;
    std::optional<std::string> cmdline;
    std::optional<E820Table> firmware_e820;
    std::optional<X86E820Setup> e820_setup;  // x86: the map after mem=/memmap= and the boot-time trim
    std::vector<IomemChild> crash_kernel;    // predicted "Crash kernel" resources
    std::vector<std::string> kernel_log;     // predicted kernel log lines (no timestamps)
    std::vector<KmemDeviceAudit> kmem;       // what DAX kmem would make of each dax device
    std::optional<DmemOutcome> dmem;         // dmem= per node
    std::vector<NumaBlock> numa;
    std::vector<PmemRegion> pmem;            // a VM's NVDIMMs (the NFIT's ranges)
    std::vector<std::string> assumptions;    // what deriving the machine took for granted (a VM's firmware)
    std::vector<std::string> not_checked;    // checks the inputs did not allow, one line per reason             // x86: the NUMA nodes' memory after the SRAT's cleanup
    std::vector<DeviceMemoryRange> device_memory;  // pmem/CXL/soft-reserved: ZONE_DEVICE or onlined
    std::optional<Arm64Boot> dt_boot;        // a device tree's boot replay (arm64)
    // The RAM each boot leaves (the predicted one first, then the one the log records when its command
    // line differs): the cost of a change in numbers.
    std::vector<RamAccount> ram;
    std::vector<Diagnostic> diagnostics;
    // With --baseline: the findings it accepted (not in `diagnostics`, not gating the exit code).
    bool baseline_applied = false;
    std::vector<Diagnostic> baselined;
    // Findings accepted by a comment in their source file, with its reason.
    std::vector<SuppressedFinding> suppressed;
};

}  // namespace bootmap
