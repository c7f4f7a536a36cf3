#!/usr/bin/env bash
# Rewrite README's generated tables from the built binary: the version gates (`bootmap gates --markdown`)
# and the rules (`bootmap rules --markdown`). The tests Docs.ReadmeVersionTableIsTheGateTable and
# Docs.ReadmeRuleTablesAreTheCatalogue fail until this is run after a gate or a rule changes.
# Usage: scripts/update-readme-tables.sh [build/analyzer/bootmap]
set -euo pipefail
bootmap=${1:-build/analyzer/bootmap}
root=$(cd "$(dirname "$0")/.." && pwd)
for command in gates rules; do
  table=$(mktemp)
  "$bootmap" "$command" --markdown > "$table"
  python3 - "$root/README.md" "$table" "$command" <<'PY'
import sys
readme, table, command = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
text = open(readme).read()
begin, end = f"<!-- bootmap {command} --markdown: begin -->\n", f"<!-- bootmap {command} --markdown: end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(readme, "w").write(text[:a] + table + text[b:])
PY
  rm -f "$table"
done
