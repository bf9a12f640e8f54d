#!/usr/bin/env bash
# The notebook widget's tests (python/, tests/notebook/):
#
#   ./scripts/test-notebook.sh pytest   build the wheel (reusing www/pkg when built), pytest on it
#   ./scripts/test-notebook.sh e2e      JupyterLab + headless Chromium on the installed wheel
#   ./scripts/test-notebook.sh          both
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
. scripts/setup-python.sh

what="${1:-all}"
if [[ "$what" == pytest || "$what" == all || ! -f python/trainlab/static/bundle.js ]]; then
    ./scripts/build-wheel.sh --no-wasm
fi
if [[ "$what" == pytest || "$what" == all ]]; then
    # Run from python/tests: `import trainlab` is the installed wheel, not the source folder.
    "$TRAINLAB_PYTHON" -m pytest -q -p no:cacheprovider python/tests
fi
if [[ "$what" == e2e || "$what" == all ]]; then
    node --test --test-reporter=spec tests/notebook/*.test.mjs
fi
