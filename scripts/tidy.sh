#!/usr/bin/env bash
# The static-analysis gate: clang-tidy with the checks of .clang-tidy (warnings are errors) over every
# source of analyzer/ and grammars/, using build/compile_commands.json (build first: scripts/build.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
run-clang-tidy -quiet -j "$(nproc 2>/dev/null || echo 2)" -p "$build" "$root/(analyzer|grammars)/.*\.cpp$"
