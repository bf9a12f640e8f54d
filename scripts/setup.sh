#!/usr/bin/env bash
# Installs what trainlab's build, tests and benchmarks need, each piece only
# when it is missing, then sets up the environment for them.
#
#   ./scripts/setup.sh     install what is missing
#   . scripts/setup.sh     the same, and keep PATH, CHROMEDRIVER etc. in this shell
#
# Pieces: the wasm32 target, rustfmt and clippy, the wasm-bindgen CLI at the
# exact version in Cargo.lock, wasm-pack, Debian's Chromium and ChromeDriver,
# Firefox ESR, WebKitGTK's WebDriver (with its MiniBrowser) and Xvfb,
# geckodriver (from crates.io), Node.js, and the npm devDependencies (wasm-opt
# from binaryen, playwright-core). Nothing here downloads from outside the
# package registries: wasm-pack finds wasm-bindgen, wasm-opt and chromedriver
# on PATH and never fetches its own.

trainlab_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Prints "setup: <item> ... <state>" with the item names lined up.
trainlab_say() {
    printf 'setup: %-26s %s\n' "$1" "$2"
}

# The version of package $1 recorded in Cargo.lock.
trainlab_locked_version() {
    awk -v want="name = \"$1\"" '
        $0 == want { getline; gsub(/^version = "|"$/, ""); print; exit }
    ' "$trainlab_root/Cargo.lock"
}

# PATH and variables the other scripts rely on; cheap, so always applied.
trainlab_environment() {
    local dir
    for dir in "$HOME/.cargo/bin" "$trainlab_root/node_modules/.bin"; do
        case ":$PATH:" in
            *":$dir:"*) ;;
            *) PATH="$dir:$PATH" ;;
        esac
    done
    export PATH
    # wasm-pack and wasm-bindgen-test-runner drive this driver instead of downloading one.
    export CHROMEDRIVER=/usr/bin/chromedriver
    # `cargo test --target wasm32-unknown-unknown` runs the test binaries in the browser.
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    # The runner's default of 20 s per test is tight on a busy 2-core machine.
    export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
    # Capabilities for the headless browser tests (flags for running as root offline).
    export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$trainlab_root/webdriver.json}"
    # The other engines' drivers go by names of our own: wasm-bindgen-test-runner
    # picks GECKODRIVER over CHROMEDRIVER whenever it is set, so test.sh sets it
    # for the Firefox run only.
    export TRAINLAB_GECKODRIVER="${TRAINLAB_GECKODRIVER:-$HOME/.cargo/bin/geckodriver}"
    export TRAINLAB_FIREFOX="${TRAINLAB_FIREFOX:-/usr/bin/firefox-esr}"
    export TRAINLAB_WEBKITDRIVER="${TRAINLAB_WEBKITDRIVER:-/usr/bin/WebKitWebDriver}"
    if [[ -z "${TRAINLAB_MINIBROWSER:-}" ]]; then
        local minibrowser
        for minibrowser in /usr/lib/*/webkit2gtk-4.1/MiniBrowser /usr/libexec/webkit2gtk-4.1/MiniBrowser; do
            if [[ -x "$minibrowser" ]]; then
                export TRAINLAB_MINIBROWSER="$minibrowser"
                break
            fi
        done
    fi
    export NPM_CONFIG_AUDIT=false NPM_CONFIG_FUND=false NPM_CONFIG_UPDATE_NOTIFIER=false
}

# `cargo install` with --locked first; the registry mirror lacks some locked
# dependency versions, so fall back to a fresh resolution.
trainlab_cargo_install() {
    # Installs use their own temporary target dir, not the project's.
    if ! env -u CARGO_TARGET_DIR cargo install --quiet --locked "$@"; then
        echo "setup: --locked install failed; retrying with fresh dependency resolution"
        env -u CARGO_TARGET_DIR cargo install --quiet "$@"
    fi
}

# Each step checks its own status: this runs as an `if` condition, where
# bash ignores `set -e` even inside functions and subshells.
trainlab_install_missing() {
    set -uo pipefail
    cd "$trainlab_root" || return 1

    # Debian packages first, in the background: the download overlaps the
    # CPU-bound cargo installs below.
    local apt_packages=() apt_log="" apt_pid=""
    if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
        apt_packages+=(chromium chromium-driver)
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        apt_packages+=(nodejs npm)
    fi
    if [[ ! -x "$TRAINLAB_FIREFOX" ]]; then
        apt_packages+=(firefox-esr)
    fi
    # WebKitGTK's WebDriver; its package brings the MiniBrowser it drives.
    if [[ ! -x "$TRAINLAB_WEBKITDRIVER" || -z "${TRAINLAB_MINIBROWSER:-}" ]]; then
        apt_packages+=(webkit2gtk-driver)
    fi
    # MiniBrowser has no headless mode: it draws into a virtual X display.
    if ! command -v Xvfb >/dev/null; then
        apt_packages+=(xvfb)
    fi
    if ((${#apt_packages[@]})); then
        trainlab_say "${apt_packages[*]}" "installing (apt-get, in the background)"
        apt_log="$(mktemp -t trainlab-apt.XXXXXX.log)" || return 1
        (
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q && apt-get install -y -q "${apt_packages[@]}"
        ) >"$apt_log" 2>&1 </dev/null &
        apt_pid=$!
    else
        trainlab_say "chromium, firefox, webkit" "present"
    fi

    local sysroot
    sysroot="$(rustc --print sysroot)" || return 1
    if [[ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]]; then
        trainlab_say "wasm32 target" "present"
    else
        trainlab_say "wasm32 target" "installing"
        rustup target add wasm32-unknown-unknown || return 1
    fi

    local component
    for component in rustfmt clippy; do
        if [[ -x "$sysroot/bin/${component/clippy/cargo-clippy}" ]]; then
            trainlab_say "$component" "present"
        else
            trainlab_say "$component" "installing"
            rustup component add "$component" || return 1
        fi
    done

    local want have=""
    want="$(trainlab_locked_version wasm-bindgen)"
    if [[ -z "$want" ]]; then
        echo "setup: no wasm-bindgen in Cargo.lock" >&2
        return 1
    fi
    if command -v wasm-bindgen >/dev/null && command -v wasm-bindgen-test-runner >/dev/null; then
        have="$(wasm-bindgen --version | awk '{print $2}')" || have=""
    fi
    if [[ "$have" == "$want" ]]; then
        trainlab_say "wasm-bindgen-cli $want" "present"
    else
        trainlab_say "wasm-bindgen-cli $want" "installing (cargo install, a few minutes)"
        trainlab_cargo_install --force wasm-bindgen-cli --version "=$want" || return 1
    fi

    if command -v wasm-pack >/dev/null; then
        trainlab_say "wasm-pack" "present"
    else
        trainlab_say "wasm-pack" "installing (cargo install, a few minutes)"
        trainlab_cargo_install wasm-pack || return 1
    fi

    if [[ -x "$TRAINLAB_GECKODRIVER" ]]; then
        trainlab_say "geckodriver" "present"
    else
        trainlab_say "geckodriver" "installing (cargo install, a few minutes)"
        trainlab_cargo_install geckodriver || return 1
    fi

    if [[ -n "$apt_pid" ]]; then
        if wait "$apt_pid"; then
            trainlab_say "${apt_packages[*]}" "installed"
            rm -f "$apt_log"
        else
            echo "setup: apt-get failed; its log:" >&2
            tail -n 40 "$apt_log" >&2
            return 1
        fi
    fi

    # npm writes node_modules/.package-lock.json on every install, so its age
    # tells whether node_modules matches the committed lock file.
    local installed_lock=node_modules/.package-lock.json
    local npm_flags=(--no-audit --no-fund --prefer-offline --loglevel=error)
    if [[ -f package-lock.json ]]; then
        if [[ -f "$installed_lock" && ! package-lock.json -nt "$installed_lock" ]]; then
            trainlab_say "npm devDependencies" "present"
        else
            trainlab_say "npm devDependencies" "installing (npm ci)"
            npm ci "${npm_flags[@]}" || return 1
        fi
    elif [[ ! -d node_modules ]]; then
        trainlab_say "npm devDependencies" "installing (npm install, no lock file)"
        npm install "${npm_flags[@]}" || return 1
    else
        trainlab_say "npm devDependencies" "present"
    fi
}

trainlab_environment
if [[ "${TRAINLAB_SETUP_DONE:-}" == "$trainlab_root" ]]; then
    # A script further up (test.sh calling build.sh, say) already checked.
    trainlab_setup_status=0
elif (trainlab_install_missing); then
    trainlab_setup_status=0
    export TRAINLAB_SETUP_DONE="$trainlab_root"
    # Again, to find what the install just put in place (MiniBrowser's path).
    trainlab_environment
else
    trainlab_setup_status=1
    echo "setup: FAILED" >&2
fi

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    return "$trainlab_setup_status"
fi
exit "$trainlab_setup_status"
