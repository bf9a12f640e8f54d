#!/usr/bin/env bash
# Builds the release WebAssembly package into www/pkg (wasm-bindgen glue + wasm-opt).
#
#   ./scripts/build.sh [extra wasm-pack build options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh

echo "== build: wasm-pack build --release --target web --out-dir www/pkg"
# wasm-opt comes from node_modules/.bin (on PATH through setup.sh), so wasm-pack
# runs it with the flags in Cargo.toml and never downloads binaryen.
wasm-pack build --release --target web --out-dir www/pkg --no-pack "$@"

for wasm in www/pkg/*.wasm; do
    printf 'build: %s  %d bytes\n' "$wasm" "$(wc -c <"$wasm")"
done
