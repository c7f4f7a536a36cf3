#!/usr/bin/env bash
# Boots the shared oracle with its own initramfs plus a `memory-blocks` section that lists
# /sys/devices/system/memory/memoryN (name, phys_index, state), which the oracle's init does not read.
# Usage: scripts/oracle/memory-blocks-capture.sh ARCH OUTDIR MEM "KERNEL ARGS" [qemu args]
# (KVER and FW as for the oracle's boot.sh). Needs the shared oracle's cache (fetch-kernels.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE_DIR:-$here/../../../shared/oracle}
cache=${ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bootmap-oracle}
arch=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cache" "$work/root"
for f in "$cache"/*; do ln -s "$f" "$work/cache/"; done
rm "$work/cache/initramfs-$arch.cpio.gz"
(cd "$work/root" && zcat "$cache/initramfs-$arch.cpio.gz" | cpio -idm --quiet)
sed -i 's|^sec block-size;|sec memory-blocks; for b in /sys/devices/system/memory/memory*; do [ -d "$b" ] \&\& echo "$(basename $b) $(cat $b/phys_index) $(cat $b/state)"; done; end memory-blocks\nsec block-size;|' "$work/root/init"
grep -q '^sec memory-blocks' "$work/root/init" || { echo "memory-blocks-capture.sh: the oracle's init has no block-size section to put the listing before" >&2; exit 1; }
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/cache/initramfs-$arch.cpio.gz"
shift
ORACLE_CACHE="$work/cache" bash "$oracle/boot.sh" "$arch" "$@"
