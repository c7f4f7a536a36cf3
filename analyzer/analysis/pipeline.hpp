#pragma once
// Every analysis the machine's parts allow, over the kernel's boot replayed once (kernel/boot_replay).
// The commands reach this through pipeline/pipeline.hpp, which also loads the inputs.

#include "analysis/kmem_audit.hpp"
#include "analysis/report_model.hpp"
#include "kernel/boot_replay.hpp"
#include "model/machine.hpp"

namespace bootmap {

struct AnalysisOptions {
    KmemAuditOptions kmem;
};

// The facts the replay needs from the analysis options (a fixed memory block size, bare metal).
MemoryBlockFacts memory_block_facts(const AnalysisOptions& options);
// The options for this machine: the memory block size its own log printed ("Memory block size:
// 2048MB") is its own, unless the options fix another.
AnalysisOptions options_for(const Machine& machine, AnalysisOptions options);

AnalysisReport analyze_machine(const Machine& machine, const BootReplay& replay, const AnalysisOptions& options);
// The same, replaying the boot first (for callers that hold only a machine: tests, benchmarks).
AnalysisReport analyze_machine(const Machine& machine, const AnalysisOptions& options = {});

}  // namespace bootmap
