#!/usr/bin/env bash
# The bad-input fuzzer of the JS API, at length: random settings for every
# constructor of the release build, reporting cases run, refused, accepted
# and crashes (a crash exits 1 and prints the case to replay).
#
#   ./scripts/fuzz.sh                 100 000 cases from a random seed
#   ./scripts/fuzz.sh 500000          that many cases
#   ./scripts/fuzz.sh 100000 1234     a given seed (replays a reported run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
if [[ ! -f www/pkg/trainlab_bg.wasm ]]; then
    ./scripts/build.sh
fi
node tests/api/fuzz.mjs --cases "${1:-100000}" --seed "${2:-random}"
