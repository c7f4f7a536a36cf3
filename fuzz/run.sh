#!/usr/bin/env bash
# Usage: fuzz/run.sh [SECONDS] [TARGET]. Builds the fuzz targets with clang and runs each (or only TARGET) for SECONDS (default 60), seeding from fixtures/ and
# keeping new corpus entries in fuzz/corpus-<target>/ (not in git). A crash leaves its input in
# fuzz/artifacts/: copy it into fixtures/bad/ as a regression test before fixing it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build="${BOOTMAP_FUZZ_BUILD:-$root/build-fuzz}"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBOOTMAP_BUILD_FUZZ=ON -DBOOTMAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
mkdir -p "$root/fuzz/artifacts"
only=${2:-}  # optional: one target's name
run() {
  local target=$1 dict=$2; shift 2
  [ -z "$only" ] || [ "$only" = "$target" ] || return 0
  local corpus="$root/fuzz/corpus-$target"
  mkdir -p "$corpus"
  "$build/fuzz/fuzz_$target" "$corpus" "$@" -dict="$root/fuzz/$dict" -max_total_time="$seconds" \
    -artifact_prefix="$root/fuzz/artifacts/" -print_final_stats=1
}
run iomem_reader iomem.dict "$root/fixtures/iomem/real" "$root/fixtures/iomem/kernel" "$root/fixtures/iomem/rules" "$root/fixtures/bad/iomem"
stock_dirs=("$root"/fixtures/stock/*/)  # the stock corpus, one folder per bootloader
run cmdline cmdline.dict "$root/fixtures/bootloader/real" "$root/fixtures/bootloader/written" "$root/fixtures/bootloader/uboot" "${stock_dirs[@]}" "$root/fixtures/cmdline/rules"
run e820 e820.dict "$root/fixtures/e820/real" "$root/fixtures/dmesg/real"
run dmesg dmesg.dict "$root/fixtures/dmesg/real" "$root/fixtures/e820/real"
run srat srat.dict "$root/fixtures/srat/real" "$root/fixtures/bad/srat"
run dtb dtb.dict "$root/fixtures/dt/real" "$root/fixtures/dt/rules" "$root/fixtures/bad/dtb"
run dts dts.dict "$root/fixtures/dt/real-dts" "$root/fixtures/dt/rules" "$root/fixtures/dt/source" "$root/fixtures/bad/dts"
run libvirt libvirt.dict "$root/fixtures/libvirt" "$root/fixtures/bad/libvirt"
run daxctl daxctl.dict "$root/fixtures/daxctl" "$root/fixtures/bad/daxctl"
run baseline baseline.dict "$root/fuzz/seeds/baseline"
run reporters reporters.dict "$root/fixtures/iomem/real" "$root/fixtures/bad/iomem"
run config config.dict "$root/fuzz/seeds/config"
# The pipeline target reads bundles (iomem, boot config, log, SRAT, DTB, options, split by a marker
# line); its seeds are the kernel captures, each bundled with what the capture boots from.
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
bundle() {
  local out=$1; shift
  local first=1
  for part in "$@"; do
    [ "$first" = 1 ] || printf '\n%%%%bootmap%%%%\n' >>"$out"
    first=0
    if [ -f "$part" ]; then cat "$part" >>"$out"; else printf '%s' "$part" >>"$out"; fi
  done
}
for capture in "$root"/fixtures/kernel/*/; do
  name=$(basename "$capture")
  srat=""
  [ -f "$capture/srat-b64.txt" ] && srat="$capture/srat-b64.txt"
  dtb=""
  [ -f "$capture/input.dtb" ] && dtb="$capture/input.dtb"
  [ -z "$dtb" ] && [ -f "$capture/machine.dtb" ] && dtb="$capture/machine.dtb"
  bundle "$seeds/$name" "$capture/iomem.txt" "$capture/cmdline.txt" "$capture/dmesg.txt" "$srat" "$dtb" "dmem cma"
done
run pipeline pipeline.dict "$seeds"
