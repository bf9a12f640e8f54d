#!/usr/bin/env bash
# Every check of trainlab, in order, stopping at the first failure:
# formatting, the explanatory text against its glossary, clippy (native and
# wasm32), native tests, wasm tests in headless Chromium, the release build,
# the JS API tests and the bad-input fuzzer on that build, every demo's
# lessons on the built engine, and the end-to-end browser tests.
#
#   ./scripts/test.sh            (what .ci/run runs)
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
stage "clippy (native, all targets)" cargo clippy --all-targets -- -D warnings
stage "clippy (wasm32: library and browser tests)" \
    cargo clippy --target wasm32-unknown-unknown --lib --test web -- -D warnings
stage "native tests" cargo test
stage "wasm tests in headless Chromium" cargo test --target wasm32-unknown-unknown --test web
stage "release build (wasm-pack)" ./scripts/build.sh
stage "JS API by value and bad-input fuzz (release build in Node)" \
    node --test --test-reporter=spec tests/api/*.test.mjs
stage "lessons of every default view and preset (the built engine, in Node)" \
    node --test --test-reporter=spec tests/lessons/*.test.mjs
stage "end-to-end tests in headless Chromium" \
    node --test --test-reporter=spec tests/e2e/*.test.mjs

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
