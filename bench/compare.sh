#!/usr/bin/env bash
# Runs the micro-benchmarks, then compares bootmap's whole-process cost on a 1 M-line iomem with what a
# user would otherwise run to get only the hole total (awk), medians over repeated runs with hyperfine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBOOTMAP_BUILD_BENCH=ON -DBOOTMAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
"$build/bench/bootmap_bench" --benchmark_min_time=0.2

gen="$root/bench/generated"
mkdir -p "$gen"
python3 - "$gen/iomem-1M.txt" <<'PY'
import sys
out = []
addr = 0x1000
n = 0
while n < 1000000:
    out.append(f"{addr:08x}-{addr + 0xfffff:08x} : System RAM"); n += 1
    for c in range(4):
        if n >= 1000000: break
        s = addr + c * 0x40000
        out.append(f"  {s:08x}-{s + 0x1ffff:08x} : reserved"); n += 1
    addr += 0x101000
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
command -v hyperfine >/dev/null || { echo "install hyperfine for the whole-process comparison"; exit 0; }
hyperfine --warmup 1 --runs 5 \
  "$build/analyzer/bootmap analyze --no-tree --format json --iomem $gen/iomem-1M.txt > /dev/null" \
  "awk -F'[- ]' '/^[0-9a-f]/ { s=strtonum(\"0x\"\$1); if (s>e+1) h+=s-e-1; e=strtonum(\"0x\"\$2) } END { print h }' $gen/iomem-1M.txt"
