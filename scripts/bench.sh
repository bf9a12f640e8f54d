#!/usr/bin/env bash
# Builds the release package, then runs the browser benchmarks and prints
# their figures and the shipped file sizes (also in bench-results/latest.json).
#
#   ./scripts/bench.sh [--timeout SECONDS] [--page PATH]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
./scripts/build.sh

# With --page, that page only; otherwise every page in tests/bench/.
if [[ " $* " == *" --page "* ]]; then
    echo "== bench: node tests/bench/run.mjs $*"
    node tests/bench/run.mjs "$@"
else
    for page in tests/bench/*.html; do
        echo "== bench: node tests/bench/run.mjs --page $page $*"
        node tests/bench/run.mjs --page "$page" "$@"
    done
fi
