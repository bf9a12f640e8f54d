#!/usr/bin/env bash
# Every check of trainlab, in order, stopping at the first failure:
# formatting, the explanatory text against its glossary, the front-end
# modules' unit tests, clippy (native and wasm32), native tests, the wasm
# tests in headless Chromium, headless Firefox and WebKit, the release build,
# the JS API by value and the bad-input fuzzer on that build (Node), the
# TypeScript types of the JS API, every demo's lessons on the built engine,
# the end-to-end tests in Chromium (playwright), and the cross-engine
# end-to-end suite in Chromium, Firefox and WebKit (W3C WebDriver); then the
# notebook widget: its wheel and pytest, and JupyterLab in headless Chromium.
#
#   ./scripts/test.sh                      (what .ci/run runs)
#   ./scripts/test-engine.sh firefox       (one engine's tests alone)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh

logs="$(mktemp -d -t trainlab-test.XXXXXX)"
trap 'rm -rf "$logs"' EXIT
stage_count=0

# stage NAME COMMAND...: runs COMMAND under a banner, keeping its output for
# the totals; a failing stage ends the run.
stage() {
    local name=$1
    shift
    stage_count=$((stage_count + 1))
    local started=$SECONDS
    printf '\n==== [%d] %s\n==== $ %s\n' "$stage_count" "$name" "$*"
    if "$@" 2>&1 | tee "$logs/$stage_count.log"; then
        printf '==== [%d] %s: ok (%d s)\n' "$stage_count" "$name" $((SECONDS - started))
    else
        printf '\n==== [%d] %s: FAILED (%d s)\n' "$stage_count" "$name" $((SECONDS - started))
        printf 'test.sh: stopped at stage [%d] %s after %d s\n' "$stage_count" "$name" "$SECONDS"
        exit 1
    fi
}

stage "rustfmt" cargo fmt --all -- --check
stage "explanatory text: the EN/KO glossary" \
    node --test --test-reporter=spec tests/text/*.test.mjs
stage "unit tests of the front-end modules (Node)" \
    node --test --test-reporter=spec tests/unit/*.test.mjs
stage "clippy (native, all targets)" cargo clippy --all-targets -- -D warnings
stage "clippy (wasm32: library and browser tests)" \
    cargo clippy --target wasm32-unknown-unknown --lib --test web -- -D warnings
stage "native tests" cargo test
stage "wasm tests in headless Chromium" ./scripts/test-engine.sh chromium wasm
stage "wasm tests in headless Firefox" ./scripts/test-engine.sh firefox wasm
stage "wasm tests in WebKit (MiniBrowser, Xvfb)" ./scripts/test-engine.sh webkit wasm
stage "release build (wasm-pack)" ./scripts/build.sh
stage "JS API by value and bad-input fuzz (release build in Node)" \
    node --test --test-reporter=spec tests/api/*.test.mjs
stage "TypeScript types of the JS API (tsc --strict on a course page and on wrong keys)" \
    node --test --test-reporter=spec tests/types/*.test.mjs
stage "lessons of every default view and preset (the built engine, in Node)" \
    node --test --test-reporter=spec tests/lessons/*.test.mjs
stage "end-to-end tests in headless Chromium" \
    node --test --test-reporter=spec tests/e2e/*.test.mjs
stage "cross-engine end-to-end tests in Chromium" ./scripts/test-engine.sh chromium e2e
stage "cross-engine end-to-end tests in Firefox" ./scripts/test-engine.sh firefox e2e
stage "cross-engine end-to-end tests in WebKit" ./scripts/test-engine.sh webkit e2e
stage "notebook widget: the wheel and its Python side (pytest)" ./scripts/test-notebook.sh pytest
stage "notebook widget in JupyterLab (headless Chromium)" ./scripts/test-notebook.sh e2e

# Totals over cargo's "test result:" lines and node's "ℹ pass N" / "ℹ fail N".
read -r passed failed < <(cat "$logs"/*.log | awk '
    /^test result: / {
        for (i = 2; i <= NF; i++) {
            if ($i ~ /^passed;?$/) passed += $(i - 1)
            if ($i ~ /^failed;?$/) failed += $(i - 1)
        }
    }
    /^(ℹ|#) pass [0-9]+$/ { passed += $3 }
    /^(ℹ|#) fail [0-9]+$/ { failed += $3 }
    END { print passed + 0, failed + 0 }
')
printf '\ntest.sh: all %d stages passed in %d s\n' "$stage_count" "$SECONDS"
echo "$passed passed, $failed failed"
if ((failed > 0 || passed == 0)); then
    exit 1
fi
