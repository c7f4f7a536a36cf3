#pragma once
// What a boot leaves as RAM, in numbers: the firmware's RAM, what the command line's edits leave of
// it, the pages present in zones and an estimate of MemTotal, per NUMA node where the nodes are known;
// with the boot the log records beside it, so that a change shows its cost.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "kernel/arm64_boot.hpp"
#include "kernel/mem_init.hpp"
#include "kernel/x86_boot.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct RamAccount {
    std::string label;                 // "predicted boot", "logged boot"
    std::string cmdline;               // the command line it was replayed with
    std::uint64_t firmware_ram = 0;    // what the firmware calls usable RAM
    std::uint64_t ram_after_cmdline = 0;  // what mem=, memmap= and the boot-time trims leave as RAM
    std::map<int, std::uint64_t> present_per_node;
    MemTotalEstimate estimate;
};

// Stated with every estimate: how far from the real MemTotal it may be, as measured on the captures.
inline constexpr double kMemTotalTolerance = 0.01;

RamAccount x86_ram_account(const Machine& machine, const X86Boot& boot, const KernelCommandLine* cmdline, std::string label);
RamAccount arm64_ram_account(const Machine& machine, const Arm64Boot& boot, const KernelCommandLine* cmdline, std::string label);

}  // namespace bootmap
