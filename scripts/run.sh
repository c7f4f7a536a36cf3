#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine, builds, and analyses the machine it runs on. When this
# machine's /proc/iomem cannot be read usefully (not root: every address shows as 0), it says so and
# analyses a bundled example instead.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh" || exit 2
bash "$root/scripts/build.sh" "$root/build" || exit 2
"$root/build/analyzer/bootmap" "$@"
rc=$?
if [ "$rc" -eq 2 ] && [ "$#" -eq 0 ]; then
  example="$root/fixtures/iomem/kernel/x86-memmap-pmem.iomem"
  echo "bootmap: this machine could not be analysed (see above); analysing the bundled example $example" >&2
  "$root/build/analyzer/bootmap" analyze --iomem "$example"
  rc=$?
fi
exit "$rc"
