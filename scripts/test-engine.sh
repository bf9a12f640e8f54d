#!/usr/bin/env bash
# One browser engine's tests alone: the wasm-bindgen tests and the
# cross-engine end-to-end suite (tests/cross-engine/) in that engine.
#
#   ./scripts/test-engine.sh ENGINE [all|wasm|e2e]
#
#   ENGINE  chromium  headless Chromium through ChromeDriver
#           firefox   headless Firefox ESR through geckodriver
#           webkit    WebKitGTK's MiniBrowser through WebKitWebDriver on a
#                     virtual X display (Xvfb); wasm-bindgen-test-runner
#                     drives it as its "Safari" driver
#   all     (default) wasm tests, release build, end-to-end tests
#   wasm    the wasm-bindgen tests only
#   e2e     the end-to-end suite only (uses the www/pkg already built)
#
# scripts/test.sh runs the same parts as stages of the whole suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
    echo "usage: $0 chromium|firefox|webkit [all|wasm|e2e]" >&2
    exit 2
}
(($# >= 1 && $# <= 2)) || usage
engine=$1
part=${2:-all}
case "$engine" in chromium | firefox | webkit) ;; *) usage ;; esac
case "$part" in all | wasm | e2e) ;; *) usage ;; esac

. scripts/setup.sh

# wasm-bindgen-test-runner takes the first driver it finds among GECKODRIVER,
# SAFARIDRIVER and CHROMEDRIVER, so each run sets exactly one of them.
wasm_tests() {
    local test_command=(cargo test --target wasm32-unknown-unknown --test web)
    case "$engine" in
        chromium) "${test_command[@]}" ;;
        firefox) env -u CHROMEDRIVER GECKODRIVER="$TRAINLAB_GECKODRIVER" "${test_command[@]}" ;;
        webkit)
            env -u CHROMEDRIVER SAFARIDRIVER="$TRAINLAB_WEBKITDRIVER" \
                xvfb-run --auto-servernum --server-args="-screen 0 1400x1000x24 -nolisten tcp" \
                "${test_command[@]}"
            ;;
    esac
}

e2e_tests() {
    if [[ ! -f www/pkg/trainlab_bg.wasm ]]; then
        echo "test-engine: www/pkg is not built; run ./scripts/build.sh (or the 'all' part)" >&2
        return 1
    fi
    TRAINLAB_ENGINES="$engine" node --test --test-reporter=spec tests/cross-engine/*.test.mjs
}

case "$part" in
    wasm) wasm_tests ;;
    e2e) e2e_tests ;;
    all)
        wasm_tests
        ./scripts/build.sh
        e2e_tests
        ;;
esac
