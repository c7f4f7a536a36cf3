#!/usr/bin/env bash
# Measures bootmap and what a user would otherwise run, in one run on the same inputs, and prints the
# ratios (medians). Usage: bench/compare.sh [--quick]
#   1. micro-benchmarks of every reader and model at x1, x10, x100, with the scaling ratios;
#   2. `bootmap lint` of each real DTB against `dtc -I dtb -O dts` of it (the cost of merely reading it);
#   3. the whole DTB set linted in one process, and in one process per DTB, against dtc run once per
#      DTB; with BOOTMAP_UPSTREAM_DTBS, Linux's own trees and dt-validate's memory schemas on a sample;
#   4. `bootmap lint --iomem` of a 1M-line dump against awk computing only the hole total;
#   5. the whole-process scaling series (iomem, reserved memory, kmem, e820 maps, dmem over many ranges,
#      grub.cfg with many entries) and peak memory against input size;
#   6. every output format at a million lines, against issue 22's bounds.
# Needs hyperfine and GNU time (Debian packages hyperfine, time); inputs are generated into
# bench/generated/ (not in git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[ "${1:-}" = "--quick" ] && quick=1
runs=$((quick ? 3 : 10))
for tool in hyperfine /usr/bin/time dtc python3 gawk; do
  command -v "$tool" >/dev/null || { echo "bench/compare.sh: needs $tool (apt-get install hyperfine time device-tree-compiler python3 gawk)" >&2; exit 2; }
done

build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBOOTMAP_BUILD_BENCH=ON -DBOOTMAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
bootmap="$build/analyzer/bootmap"
gen="$root/bench/generated"
out="$gen/results"
mkdir -p "$out"
"$build/bench/bootmap_bench_inputs" "$gen"

echo "== machine"
echo "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(uname -r)"
echo

echo "== 1. micro-benchmarks (median of 3 repetitions; scaling = time at 10x the input / time at 1x)"
"$build/bench/bootmap_bench" --benchmark_min_time=$((quick ? 0 : 1)).2 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/micro.json" --benchmark_out_format=json >/dev/null
python3 - "$out/micro.json" <<'PY'
import json, sys, collections
rows = collections.OrderedDict()
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name") != "median": continue
    name, size = b["run_name"].split("/")
    rate = b.get("bytes_per_second") and f'{b["bytes_per_second"] / 1e6:8.1f} MB/s' or f'{b.get("items_per_second", 0) / 1e6:8.2f} M/s'
    rows.setdefault(name, []).append((int(size), b["real_time"], b["time_unit"], rate))
print(f'{"benchmark":<30} {"size":>8} {"median":>12} {"throughput":>14} {"scaling":>8}')
for name, points in rows.items():
    for k, (size, t, unit, rate) in enumerate(points):
        scale = f'{t / points[k - 1][1]:7.1f}x' if k else ""
        print(f'{name:<30} {size:>8} {t:>9.3f} {unit:<2} {rate:>14} {scale:>8}')
PY
echo

# hyperfine's median of each command in a JSON export, in order.
medians() { python3 -c 'import json,sys; print(" ".join(str(r["median"]) for r in json.load(open(sys.argv[1]))["results"]))' "$1"; }

echo "== 2. one real DTB: bootmap lint vs dtc -I dtb -O dts (ratio of medians, $runs runs each)"
ratios=()
for dtb in "$root"/fixtures/dt/real/*.dtb; do
  hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$out/dtb.json" \
    "$bootmap lint $dtb" "dtc -q -I dtb -O dts -o /dev/null $dtb" >/dev/null 2>&1
  read -r ours theirs < <(medians "$out/dtb.json")
  ratios+=("$(python3 -c "print($ours / $theirs)")")
done
printf '%s\n' "${ratios[@]}" | python3 -c '
import sys, statistics
r = sorted(float(x) for x in sys.stdin)
print(f"{len(r)} DTBs: ratio bootmap/dtc median {statistics.median(r):.2f}, best {r[0]:.2f}, worst {r[-1]:.2f}")'
echo

echo "== 3. a whole DTB set: one bootmap process, and one per DTB, vs dtc once per DTB; vs dt-validate"
# One set of DTBs linted as a fleet (on one core, then all) and one process per DTB, against dtc
# decompiling each in turn.
dtb_set_vs_dtc() {
  local label=$1 dir=$2
  local count
  count=$(find "$dir" -name '*.dtb' | wc -l)
  hyperfine -i --warmup 1 --runs "$runs" --export-json "$out/dtb-set.json" \
    "$bootmap lint --batch $dir -j 1 -o /dev/null" \
    "$bootmap lint --batch $dir -o /dev/null" \
    "for f in $dir/*.dtb; do dtc -q -I dtb -O dts -o /dev/null \$f; done" \
    "for f in $dir/*.dtb; do $bootmap lint \$f >/dev/null; done" >/dev/null 2>&1
  read -r one_core all_cores dtc_loop own_loop < <(medians "$out/dtb-set.json")
  # The label goes in as an argument: "Linux 6.12's trees" would end a quoted Python string.
  python3 -c "import sys; print(f'{sys.argv[1]}, $count DTBs: bootmap --batch -j1 {$one_core*1e3:.1f} ms, -j$(nproc) {$all_cores*1e3:.1f} ms; dtc per DTB {$dtc_loop*1e3:.1f} ms; speed-up {$dtc_loop/$one_core:.1f}x (one core), {$dtc_loop/$all_cores:.1f}x (all); bootmap per DTB {$own_loop*1e3:.1f} ms ({$dtc_loop/$own_loop:.2f}x dtc)')" "$label"
}
# dt-validate (Debian's dt-schema) limited to the memory schemas, on every STEP-th tree of DIR, on
# one core each: with its own core schemas, and with the kernel's bindings when
# BOOTMAP_DT_BINDINGS=linux/Documentation/devicetree/bindings is given (dt-mk-schema, not timed).
dtb_set_vs_dt_validate() {
  local dir=$1 step=$2
  command -v dt-validate >/dev/null || { echo "dt-validate: not installed (apt-get install dt-schema)"; return 0; }
  local sample
  sample=$(mktemp -d)
  find "$dir" -name '*.dtb' | sort | awk -v step="$step" 'NR % step == 0' | xargs -I{} ln -s {} "$sample"/
  local count
  count=$(find "$sample" -name '*.dtb' | wc -l)
  local commands=("$bootmap lint --batch $sample -j 1 -o /dev/null" "dt-validate -l memory $sample/*.dtb")
  if [ -n "${BOOTMAP_DT_BINDINGS:-}" ] && [ -d "$BOOTMAP_DT_BINDINGS" ]; then
    dt-mk-schema -j -o "$out/processed-schema.json" "$BOOTMAP_DT_BINDINGS" >/dev/null 2>&1
    commands+=("dt-validate -s $out/processed-schema.json -l memory $sample/*.dtb")
  fi
  hyperfine -i --warmup 0 --runs "$((quick ? 1 : 3))" --export-json "$out/dt-validate.json" "${commands[@]}" >/dev/null 2>&1
  read -r ours core_schemas kernel_schemas < <(medians "$out/dt-validate.json")
  python3 -c "
k='$kernel_schemas'
print(f'every ${step}th tree, $count DTBs: bootmap --batch -j1 {$ours*1e3:.1f} ms; dt-validate -l memory {$core_schemas:.2f} s ({$core_schemas/$ours:.0f}x)' +
      (f', with the kernel\'s bindings {float(k):.1f} s ({float(k)/$ours:.0f}x)' if k else ''))"
  rm -rf "$sample"
}
set_dir=$(mktemp -d)
trap 'rm -rf "$set_dir"' EXIT
ln -s "$root"/fixtures/dt/real/*.dtb "$set_dir"/
dtb_set_vs_dtc "real board trees" "$set_dir"
# The upstream corpus (scripts/build-upstream-dtbs.sh), when built: BOOTMAP_UPSTREAM_DTBS=DIR.
if [ -n "${BOOTMAP_UPSTREAM_DTBS:-}" ] && [ -d "$BOOTMAP_UPSTREAM_DTBS" ]; then
  dtb_set_vs_dtc "Linux 6.12's trees" "$BOOTMAP_UPSTREAM_DTBS"
  dtb_set_vs_dt_validate "$BOOTMAP_UPSTREAM_DTBS" "$((quick ? 100 : 10))"
fi
echo

echo "== 4. a 1M-line /proc/iomem: bootmap lint vs gawk summing the top-level holes only"
iomem="$gen/iomem-1000000.txt"
hyperfine -i --warmup 1 --runs "$runs" --export-json "$out/iomem.json" \
  "$bootmap lint --iomem $iomem" \
  "gawk -F'[- ]' '/^[0-9a-f]/ { s=strtonum(\"0x\"\$1); if (s>e+1) h+=s-e-1; e=strtonum(\"0x\"\$2) } END { print h }' $iomem" >/dev/null 2>&1
read -r ours awk_time < <(medians "$out/iomem.json")
size=$(stat -c %s "$iomem")
python3 -c "print(f'{$size/1e6:.1f} MB: bootmap {$ours*1e3:.0f} ms ({$size/$ours/1e6:.0f} MB/s, the whole lint), awk {$awk_time*1e3:.0f} ms; ratio {$ours/$awk_time:.2f}')"
echo

echo "== 5. whole-process scaling and peak memory (median of $runs runs; RSS by GNU time)"
# GNU time's last line is the peak RSS; bootmap may exit 1 (findings), which is not a failure here.
peak_kib() { { /usr/bin/time -f %M "$@" 2>&1 >/dev/null || true; } | tail -1; }
baseline=$(peak_kib "$bootmap" lint --cmdline quiet)
echo "baseline: bootmap lint --cmdline quiet peaks at $baseline KiB"
printf '%-34s %10s %10s %8s %10s %14s\n' input bytes median scaling "peak KiB" "(peak-base)/in"
series() {
  local label=$1; shift
  local previous=""
  for input in "$@"; do
    local args=${input#*:} file=${input%%:*}
    hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$out/series.json" "$bootmap $args $gen/$file" >/dev/null 2>&1
    local t peak bytes
    t=$(medians "$out/series.json")
    # shellcheck disable=SC2086 # $args is several words on purpose
    peak=$(peak_kib $bootmap $args "$gen/$file")
    bytes=$(stat -c %s "$gen/$file")
    python3 -c "
prev='$previous'
print(f'{\"$label $file\":<34} {$bytes:>10} {$t*1e3:>8.1f}ms {(\"%7.1fx\" % ($t/float(prev))) if prev else \"\":>8} {$peak:>10} {($peak-$baseline)*1024/$bytes:>13.2f}x')"
    previous=$t
  done
}
series iomem "iomem-10000.txt:lint --iomem" "iomem-100000.txt:lint --iomem" "iomem-1000000.txt:lint --iomem"
series rmem-6.1 "rmem-20.dtb:lint --kernel 6.1 --dtb" "rmem-200.dtb:lint --kernel 6.1 --dtb" "rmem-2000.dtb:lint --kernel 6.1 --dtb"
series rmem-6.12 "rmem-20.dtb:lint --kernel 6.12 --dtb" "rmem-200.dtb:lint --kernel 6.12 --dtb" "rmem-2000.dtb:lint --kernel 6.12 --dtb"
series kmem "pmem-10.iomem:kmem --iomem" "pmem-100.iomem:kmem --iomem" "pmem-1000.iomem:kmem --iomem"
series srat "srat-1024.dat:lint --srat"
series e820 "e820-320.dmesg:lint --dmesg" "e820-3200.dmesg:lint --dmesg" "e820-32000.dmesg:lint --dmesg"
series dmem "e820-320.dmesg:dmem 1G --kconfig DMEM=y --dmesg" "e820-3200.dmesg:dmem 1G --kconfig DMEM=y --dmesg" "e820-32000.dmesg:dmem 1G --kconfig DMEM=y --dmesg"
# Every grub.cfg entry gets the memory checks of the boot replayed on a machine's map.
map="$root/fixtures/kernel/x86-numa-2node/dmesg.txt"
series grub.cfg "grub-10.cfg:lint --dmesg $map --cmdline-from" "grub-100.cfg:lint --dmesg $map --cmdline-from" "grub-1000.cfg:lint --dmesg $map --cmdline-from"
echo

echo "== 6. every output at a million lines (issue 22: each <= 2 s and <= 4x the input in memory)"
iomem="$gen/iomem-1000000.txt"
size=$(stat -c %s "$iomem")
printf '%-28s %10s %10s %12s\n' output median "peak MiB" "peak/input"
formats() {
  local label=$1 inputs=$2; shift 2
  hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$out/format.json" "$*" >/dev/null 2>&1
  local t peak
  t=$(medians "$out/format.json")
  # shellcheck disable=SC2068 # the command is several words on purpose
  peak=$(peak_kib $@)
  python3 -c "print(f'{\"$label\":<28} {$t:>9.2f}s {$peak/1024:>10.0f} {$peak*1024/($inputs):>11.2f}x')"
}
for format in text json sarif junit; do formats "lint --format $format" "$size" "$bootmap" lint --iomem "$iomem" --format "$format"; done
formats "analyze (text, the tree)" "$size" "$bootmap" analyze --iomem "$iomem"
formats "map (html)" "$size" "$bootmap" map --iomem "$iomem" -o "$out/map.html"
formats "diff (the dump with itself)" "$((2 * size))" "$bootmap" diff "$iomem" "$iomem"
echo

# The peer for a prediction is the boot itself: BOOTMAP_ORACLE=.../oracle/boot.sh (see ../shared/oracle)
# boots the same question under QEMU once, against bootmap predicting it from the booted tree.
if [ -n "${BOOTMAP_ORACLE:-}" ] && [ -x "$BOOTMAP_ORACLE" ]; then
  echo "== 7. the same question answered by a QEMU boot of the oracle kernel and by bootmap"
  boot_out=$(mktemp -d)
  start=$(date +%s.%N)
  "$BOOTMAP_ORACLE" arm64 "$boot_out/boot" 1G "cma=64M crashkernel=128M" >/dev/null 2>&1 || true
  boot_s=$(python3 -c "import time; print(time.time() - $start)")
  base64 -d "$boot_out/boot/fdt-b64.txt" > "$boot_out/machine.dtb" 2>/dev/null || true
  hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$out/oracle.json" \
    "$bootmap predict --dtb $boot_out/machine.dtb --cmdline 'cma=64M crashkernel=128M' --emit iomem" >/dev/null 2>&1
  predict_s=$(medians "$out/oracle.json")
  python3 -c "print(f'arm64, 1 GiB, cma=64M crashkernel=128M: QEMU boot {$boot_s:.1f} s, bootmap predict {$predict_s*1e3:.1f} ms ({$boot_s/$predict_s:.0f}x)')"
  rm -rf "$boot_out"
fi
