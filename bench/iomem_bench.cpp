// Throughput of the iomem reader (bytes/s) and of the analyses over its tree (resources/s).

#include <benchmark/benchmark.h>

#include "analysis/iomem_checks.hpp"
#include "analysis/iomem_totals.hpp"
#include "readers/iomem_reader.hpp"
#include "synthetic_iomem.hpp"

namespace {

void BM_ReadIomem(benchmark::State& state) {
    const std::string text = bootmap::bench::synthetic_iomem(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        auto tree = bootmap::read_iomem("bench", text);
        benchmark::DoNotOptimize(tree);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadIomem)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_IomemTotals(benchmark::State& state) {
    const auto tree = bootmap::read_iomem("bench", bootmap::bench::synthetic_iomem(static_cast<std::size_t>(state.range(0)))).value();
    for (auto _ : state) benchmark::DoNotOptimize(bootmap::iomem_totals(tree));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * tree.entries.size()));
}
BENCHMARK(BM_IomemTotals)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_CheckIomem(benchmark::State& state) {
    const auto tree = bootmap::read_iomem("bench", bootmap::bench::synthetic_iomem(static_cast<std::size_t>(state.range(0)))).value();
    for (auto _ : state) benchmark::DoNotOptimize(bootmap::check_iomem(tree, bootmap::KernelProfile{}));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * tree.entries.size()));
}
BENCHMARK(BM_CheckIomem)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
