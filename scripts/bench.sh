#!/usr/bin/env bash
# Builds the release package, then runs the browser benchmarks and prints
# their figures and the shipped file sizes (also in bench-results/latest.json).
#
#   ./scripts/bench.sh [--timeout SECONDS] [--page PATH]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
./scripts/build.sh

if [[ -f tests/bench/run.mjs ]]; then
    echo "== bench: node tests/bench/run.mjs $*"
    node tests/bench/run.mjs "$@"
else
    echo "bench: no tests/bench/run.mjs; nothing to run"
fi
