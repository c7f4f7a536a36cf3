#!/usr/bin/env bash
# Usage: scripts/package.sh [BUILD_DIR]. Builds the Debian package (cpack -G DEB) from a build
# directory that scripts/build.sh made, checks that it holds what an installation needs, and prints
# its path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/bootmap_*.deb | sed -n 1p)
contents=$(dpkg-deb -c "$deb")
for needed in ./usr/bin/bootmap ./usr/share/man/man1/bootmap.1 ./usr/share/bash-completion/completions/bootmap \
              ./usr/share/zsh/site-functions/_bootmap ./usr/share/doc/bootmap/rules/dt-rmem-overlap.md ./usr/share/doc/bootmap/schema/; do
  grep -q " $needed" <<<"$contents" || { echo "package.sh: $deb lacks $needed" >&2; exit 1; }
done
grep -q device-tree-compiler <<<"$(dpkg-deb -f "$deb" Depends)" || { echo "package.sh: $deb does not depend on device-tree-compiler" >&2; exit 1; }
echo "$deb"
