#!/usr/bin/env bash
# Builds every arm64, arm and riscv device tree of a Linux source tree as the kernel's build does
# (the C preprocessor with the dt-bindings include paths, then dtc), for the upstream-tree corpus the
# tests sample and bench/ measures against. Trees dtc refuses are listed, not fatal.
# Usage: scripts/build-upstream-dtbs.sh LINUX_SRC OUT_DIR [JOBS]
#   LINUX_SRC: an unpacked linux-source-6.12 (tar -xJf /usr/src/linux-source-6.12.tar.xz), at least its
#   arch/{arm64,arm,riscv}/boot/dts, include/dt-bindings, include/uapi (the input event codes some
#   bindings headers include) and scripts/dtc/include-prefixes.
set -euo pipefail
src=$(cd "$1" && pwd) out=$2 jobs=${3:-$(nproc)}
mkdir -p "$out"
build_one() {
  local src=$1 out=$2 dts=$3
  local arch=${dts#"$src"/arch/}; arch=${arch%%/*}
  local rel=${dts#"$src"/arch/"$arch"/boot/dts/}
  local name=$arch-${rel//\//-}; name=${name%.dts}.dtb
  cpp -nostdinc -undef -x assembler-with-cpp -D__DTS__ -I "$(dirname "$dts")" -I "$src/scripts/dtc/include-prefixes" \
      -I "$src/arch/$arch/boot/dts" -I "$src/include" "$dts" 2>/dev/null |
    dtc -q -I dts -O dtb -o "$out/$name" -b 0 -i "$(dirname "$dts")" -@ - 2>/dev/null || { rm -f "$out/$name"; echo "refused: $dts"; }
}
export -f build_one
find "$src/arch/arm64/boot/dts" "$src/arch/arm/boot/dts" "$src/arch/riscv/boot/dts" -name '*.dts' -print0 |
  xargs -0 -P "$jobs" -I{} bash -c 'build_one "$@"' _ "$src" "$out" {}
echo "$(find "$out" -name '*.dtb' | wc -l) trees in $out"
