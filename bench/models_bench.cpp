// Kernel models and analyses (ranges/s) at three sizes (x1, x10, x100): memblock reservations and
// free-range walks, reserved-memory placement in both profiles, the dmem carve (and the seed's
// rewalking reference), the kmem audit, the iomem totals and checks.

#include <benchmark/benchmark.h>

#include <memory>

#include "analysis/iomem_checks.hpp"
#include "analysis/iomem_totals.hpp"
#include "analysis/kmem_audit.hpp"
#include "kernel/arm64_boot.hpp"
#include "kernel/dmem.hpp"
#include "readers/dtb_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "synthetic.hpp"

namespace {

using namespace bootmap;

std::size_t arg(const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)); }
void per_item(benchmark::State& state, std::size_t items) { state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items)); }

void BM_MemblockReserveFragmented(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(bench::fragmented_memblock(arg(state)));
    per_item(state, arg(state));
}
BENCHMARK(BM_MemblockReserveFragmented)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_MemblockFreeRanges(benchmark::State& state) {
    const Memblock mb = bench::fragmented_memblock(arg(state));
    for (auto _ : state) benchmark::DoNotOptimize(mb.free_ranges(kNumaNoNode, memblock_flag::none));
    per_item(state, arg(state));
}
BENCHMARK(BM_MemblockFreeRanges)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void replay_rmem(benchmark::State& state, KernelVersion version) {
    auto tree = read_dtb("bench", bench::synthetic_dtb(arg(state)));
    if (!tree) {
        state.SkipWithError("the synthetic DTB was refused");
        return;
    }
    const auto shared = std::make_shared<const DeviceTree>(std::move(tree).value());
    KernelProfile profile;
    profile.arch = Arch::arm64;
    profile.version = version;
    for (auto _ : state) benchmark::DoNotOptimize(replay_arm64_boot(shared, nullptr, profile, BootPlacement{}));
    per_item(state, arg(state));
}
// 6.1: the fixed array of 64 (the rest are dropped with the kernel's message).
void BM_ReservedMem61(benchmark::State& state) { replay_rmem(state, KernelVersion{6, 1}); }
BENCHMARK(BM_ReservedMem61)->Arg(20)->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond);
// 6.12: the dynamic array, every region placed.
void BM_ReservedMem612(benchmark::State& state) { replay_rmem(state, KernelVersion{6, 12}); }
BENCHMARK(BM_ReservedMem612)->Arg(20)->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond);

// dmem=60G per node over 64 nodes of 4 GiB... each node is asked for 3 GiB in 2 MiB-aligned pieces
// around its fragments.
grammars::DmemParam dmem_param() {
    grammars::DmemParam p;
    p.size = 3ull << 30;
    p.align = 2ull << 20;
    return p;
}

template <class Carve>
void carve(benchmark::State& state, Carve reserve) {
    const Memblock machine = bench::fragmented_memblock(arg(state));
    for (auto _ : state) {
        state.PauseTiming();
        Memblock mb = machine;
        state.ResumeTiming();
        benchmark::DoNotOptimize(reserve(mb, dmem_param(), KernelProfile{}));
    }
    per_item(state, arg(state));
}
void BM_DmemCarve(benchmark::State& state) { carve(state, reserve_dmem); }
BENCHMARK(BM_DmemCarve)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
void BM_DmemCarveRewalking(benchmark::State& state) { carve(state, reserve_dmem_rewalking); }
BENCHMARK(BM_DmemCarveRewalking)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_KmemAudit(benchmark::State& state) {
    const auto tree = read_iomem("bench", bench::synthetic_pmem_iomem(arg(state))).value();
    for (auto _ : state) benchmark::DoNotOptimize(audit_kmem_iomem(tree, KernelProfile{}, KmemAuditOptions{}));
    per_item(state, arg(state));
}
BENCHMARK(BM_KmemAudit)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_IomemTotals(benchmark::State& state) {
    const auto tree = read_iomem("bench", bench::synthetic_iomem(arg(state))).value();
    for (auto _ : state) benchmark::DoNotOptimize(iomem_totals(tree));
    per_item(state, tree.entries.size());
}
BENCHMARK(BM_IomemTotals)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_CheckIomem(benchmark::State& state) {
    const auto tree = read_iomem("bench", bench::synthetic_iomem(arg(state))).value();
    for (auto _ : state) benchmark::DoNotOptimize(check_iomem(tree, KernelProfile{}));
    per_item(state, tree.entries.size());
}
BENCHMARK(BM_CheckIomem)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
