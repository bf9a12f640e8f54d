#!/usr/bin/env bash
# Builds the release WebAssembly package into www/pkg (wasm-bindgen glue + wasm-opt).
#
#   ./scripts/build.sh [extra wasm-pack build options]
#   ./scripts/build.sh --single-file    also write dist/trainlab.html: the whole
#                                       app in one file that works from disk
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh

single_file=0
pack_args=()
for arg in "$@"; do
    if [[ "$arg" == "--single-file" ]]; then
        single_file=1
    else
        pack_args+=("$arg")
    fi
done

echo "== build: wasm-pack build --release --target web --out-dir www/pkg"
# wasm-opt comes from node_modules/.bin (on PATH through setup.sh), so wasm-pack
# runs it with the flags in Cargo.toml and never downloads binaryen.
wasm-pack build --release --target web --out-dir www/pkg --no-pack ${pack_args[@]+"${pack_args[@]}"}

for wasm in www/pkg/*.wasm; do
    printf 'build: %s  %d bytes\n' "$wasm" "$(wc -c <"$wasm")"
done

if ((single_file)); then
    echo "== build: node scripts/single-file.mjs (dist/trainlab.html)"
    node scripts/single-file.mjs
fi
