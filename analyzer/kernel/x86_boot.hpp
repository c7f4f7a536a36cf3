#pragma once
// x86_64 setup_arch() (6.1) from the firmware map to the crash kernel: the e820 edits of the command
// line, e820__memblock_setup(), the fixed reservation of the first MiB, the default CMA area of
// cma= (dma_contiguous_reserve()), NUMA from the SRAT, dmem= (seed 000, when the profile carries it),
// and reserve_crashkernel() with its low-memory companion. What the kernel allocates for itself in between (its image, page
// tables, ACPI tables) depends on the kernel build and is not modelled: placements are predicted
// as if those allocations fit below the alignment boundary the placement rounds to.

#include <optional>
#include <string>
#include <vector>

#include "grammars/crashkernel_param.hpp"
#include "kernel/cma.hpp"
#include "kernel/dmem.hpp"
#include "kernel/hugetlb_boot.hpp"
#include "kernel/memblock.hpp"
#include "kernel/numa.hpp"
#include "kernel/x86_e820_setup.hpp"
#include "kernel/x86_efi.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct CrashkernelOutcome {
    grammars::CrashkernelSetting setting;  // the form that decided (plain or ,high)
    bool high = false;
    bool reserved = false;
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> low;  // base, size of the ,low part
};

struct X86Boot {
    X86E820Setup e820;
    Memblock memblock;
    std::optional<NumaSetup> numa;  // from the SRAT, when one was given
    std::vector<std::string> numa_log;  // NUMA init's lines: the SRAT's, or the fake node's
    std::optional<CmaOutcome> cma;
    std::optional<DmemOutcome> dmem;
    std::optional<CrashkernelOutcome> crashkernel;
    std::vector<GiganticPagesOutcome> gigantic_pages;  // hugepages= of 1 GiB pages, taken from memblock at boot
    std::vector<std::string> log;  // the kernel's lines, without timestamps, in boot order
    std::vector<std::string> assumptions;  // what the replay took for granted that the inputs do not say
};

X86Boot replay_x86_boot(const E820Table& firmware, const KernelCommandLine* cmdline, const KernelProfile& profile, const SratTable* srat = nullptr,
                        const X86EfiBoot* efi = nullptr);
// The same, for a machine with a firmware map: its command line, SRAT and (from its boot log) UEFI edits.
X86Boot replay_x86_boot(const Machine& machine);

// The dmem= the kernel acts on: the last valid one; nullopt when there is none.
std::optional<grammars::DmemParam> effective_dmem(const KernelCommandLine& cmdline, const KernelProfile& profile);

}  // namespace bootmap
