#!/usr/bin/env bash
# Boots the shared oracle's Debian 6.1 amd64 kernel with an initramfs that binds a legacy pmem region
# to DAX kmem (kmem-init.sh), to capture what the kernel onlines and the memory blocks it creates.
# Usage: scripts/oracle/kmem-capture.sh OUTDIR MEM "KERNEL ARGS" (e.g. 6G "memmap=2G!4G bootmap.align=1073741824")
# Needs the shared oracle's cache (../shared/oracle/fetch-kernels.sh) and root (for mknod).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE_DIR:-$here/../../../shared/oracle}
cache=${ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bootmap-oracle}
out=$1 mem=$2 args=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The module files of the very kernel the oracle boots.
mkdir -p "$work/deb" "$work/root/lib/modules" "$work/root"/{bin,proc,sys,dev} "$work/cache"
dpkg-deb --fsys-tarfile "$cache"/linux-image-*-amd64.deb | tar -x -C "$work/deb" --wildcards './lib/modules/*/kernel/drivers/nvdimm/*' \
  './lib/modules/*/kernel/drivers/dax/*'
for m in libnvdimm nd_btt nd_pmem nd_e820 device_dax dax_pmem kmem; do
  cp "$(find "$work/deb" -name "$m.ko" | head -1)" "$work/root/lib/modules/"
done
cp /bin/busybox "$work/root/bin/busybox"
cp "$here/kmem-init.sh" "$work/root/init"
chmod +x "$work/root/init"
mknod -m 600 "$work/root/dev/console" c 5 1
mknod -m 666 "$work/root/dev/null" c 1 3
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/cache/initramfs-amd64.cpio.gz"
ln -s "$cache/vmlinuz-amd64" "$work/cache/vmlinuz-amd64"
ORACLE_CACHE="$work/cache" bash "$oracle/boot.sh" amd64 "$out" "$mem" "$args"
