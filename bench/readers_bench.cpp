// Reader throughput (bytes/s) on synthetic inputs at three sizes (x1, x10, x100): /proc/iomem text,
// a boot log's e820 lines, a binary SRAT, a DTB (libfdt's check and our walk).

#include <benchmark/benchmark.h>

#include "readers/dtb_reader.hpp"
#include "readers/e820_reader.hpp"
#include "readers/iomem_reader.hpp"
#include "readers/srat_reader.hpp"
#include "synthetic.hpp"

namespace {

using bootmap::bench::synthetic_dtb;
using bootmap::bench::synthetic_e820_dmesg;
using bootmap::bench::synthetic_iomem;
using bootmap::bench::synthetic_srat;

std::size_t arg(const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)); }

template <class Read>
void measure_reader(benchmark::State& state, const std::string& input, Read read) {
    for (auto _ : state) {
        auto result = read(input);
        if (!result) state.SkipWithError("the reader refused the synthetic input");
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

void BM_ReadIomem(benchmark::State& state) {
    measure_reader(state, synthetic_iomem(arg(state)), [](const std::string& t) { return bootmap::read_iomem("bench", t); });
}
BENCHMARK(BM_ReadIomem)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_ReadE820Dmesg(benchmark::State& state) {
    measure_reader(state, synthetic_e820_dmesg(arg(state)), [](const std::string& t) { return bootmap::read_e820_text("bench", t); });
}
BENCHMARK(BM_ReadE820Dmesg)->Arg(32)->Arg(320)->Arg(3200)->Unit(benchmark::kMicrosecond);

void BM_ReadSratBinary(benchmark::State& state) {
    measure_reader(state, synthetic_srat(arg(state)), [](const std::string& t) { return bootmap::read_srat("bench", t); });
}
BENCHMARK(BM_ReadSratBinary)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_ReadDtb(benchmark::State& state) {
    measure_reader(state, synthetic_dtb(arg(state)), [](const std::string& t) { return bootmap::read_dtb("bench", t); });
}
BENCHMARK(BM_ReadDtb)->Arg(20)->Arg(200)->Arg(2000)->Unit(benchmark::kMicrosecond);

}  // namespace
