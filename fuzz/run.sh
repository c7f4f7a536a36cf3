#!/usr/bin/env bash
# Builds the fuzz targets with clang and runs each for SECONDS (default 60), seeding from fixtures/ and
# keeping new corpus entries in fuzz/corpus-<target>/ (not in git). A crash leaves its input in
# fuzz/artifacts/: copy it into fixtures/bad/ as a regression test before fixing it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBOOTMAP_BUILD_FUZZ=ON -DBOOTMAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
mkdir -p "$root/fuzz/artifacts"
run() {
  local target=$1 dict=$2; shift 2
  local corpus="$root/fuzz/corpus-$target"
  mkdir -p "$corpus"
  "$build/fuzz/fuzz_$target" "$corpus" "$@" -dict="$root/fuzz/$dict" -max_total_time="$seconds" \
    -artifact_prefix="$root/fuzz/artifacts/" -print_final_stats=1
}
run iomem_reader iomem.dict "$root/fixtures/iomem/real" "$root/fixtures/iomem/kernel" "$root/fixtures/iomem/rules" "$root/fixtures/bad/iomem"
run cmdline cmdline.dict "$root/fixtures/bootloader/real" "$root/fixtures/bootloader/written" "$root/fixtures/cmdline/rules"
run e820 e820.dict "$root/fixtures/e820/real" "$root/fixtures/dmesg/real"
run srat srat.dict "$root/fixtures/srat/real" "$root/fixtures/bad/srat"
run dtb dtb.dict "$root/fixtures/dt/real" "$root/fixtures/dt/rules" "$root/fixtures/bad/dtb"
