#!/usr/bin/env bash
# Builds the notebook widget's wheel, dist/trainlab-<version>-py3-none-any.whl,
# and installs it into the project's venv (.venv) for the tests.
#
#   ./scripts/build-wheel.sh            release wasm build, widget bundle, wheel
#   ./scripts/build-wheel.sh --no-wasm  reuse www/pkg (test.sh has just built it)
#
# The wheel carries python/trainlab/static/widget.js (the widget's small
# loader module), bundle.js (the app's modules and wasm in one ES module,
# scripts/build-widget.mjs) and names.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
. scripts/setup-python.sh

if [[ "${1:-}" == "--no-wasm" && -f www/pkg/trainlab_bg.wasm ]]; then
    echo "== wheel: reusing www/pkg"
else
    ./scripts/build.sh
fi
echo "== wheel: node scripts/build-widget.mjs"
node scripts/build-widget.mjs
echo "== wheel: python -m build --wheel (hatchling)"
rm -f dist/trainlab-*.whl
"$TRAINLAB_PYTHON" -m build --wheel --no-isolation --outdir dist python >/dev/null
wheel="$(ls dist/trainlab-*.whl)"
"$TRAINLAB_PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"
printf 'wheel: %s  %d bytes (installed into %s)\n' "$wheel" "$(wc -c <"$wheel")" "$TRAINLAB_VENV"
