#!/usr/bin/env bash
# Rewrite README's version-gate table from the built binary (the test Docs.ReadmeVersionTableIsTheGateTable
# fails until this is run after a gate changes). Usage: scripts/update-readme-gates.sh [build/analyzer/bootmap]
set -euo pipefail
bootmap=${1:-build/analyzer/bootmap}
root=$(cd "$(dirname "$0")/.." && pwd)
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$bootmap" gates --markdown > "$table"
python3 - "$root/README.md" "$table" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
begin, end = "<!-- bootmap gates --markdown: begin -->\n", "<!-- bootmap gates --markdown: end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(readme, "w").write(text[:a] + table + text[b:])
PY
