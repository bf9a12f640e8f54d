#!/usr/bin/env bash
# Mutation testing of one core module with cargo-mutants (a developer tool,
# not part of CI): each mutant is one small edit; a test must fail for it.
#
#   scripts/mutants.sh MODULE [K/N]
#
# MODULE: schedule, optim, second_order, race, nn, augment, render, config,
# api (the wasm API, tested in headless Chromium: minutes a mutant).
# K/N runs the round-robin shard K of N (mutant i when i mod N = K): an even
# sample across the module's files, for modules too big for one sitting.
# MUTANTS_FILES=GLOB narrows it to those files of the module, e.g.
#   MUTANTS_FILES=src/render/chart.rs MUTANTS_RE='y_axis|usable' scripts/mutants.sh render
# Results go to mutants.out/MODULE[-K-of-N]/ (missed.txt lists the survivors).
#
# Why a separate worktree: cargo-mutants edits files in place there, so the
# checkout you work in is never touched, and its own target directory keeps
# the compiled dependencies between runs, so each mutant rebuilds only this
# crate and the test targets named below (`-C` passes them to the build as
# well as to the test run; plain trailing arguments would build every test
# and example for each mutant).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
args=()

module=${1:-}
shard=${2:-}
case "$module" in
  schedule)     files='src/schedule.rs';         targets=(--lib --test=schedule --test=race) ;;
  optim)        files='src/optim/*.rs';          targets=(--lib --test=optim_reference --test=race) ;;
  second_order) files='src/second_order/*.rs';   targets=(--lib --test=second_order) ;;
  race)         files='src/race/*.rs';           targets=(--lib --test=race) ;;
  nn)           files='src/nn/*.rs';             targets=(--lib --test=nn --test=cnn --test=ensemble --test=transfer) ;;
  augment)      files='src/augment/*.rs';        targets=(--lib --test=augment --test=simd_parity) ;;
  render)       files='src/render/*.rs';         targets=(--lib) ;;
  config)       files='src/config/*.rs';         targets=(--lib --test=race) ;;
  # The wasm API runs only in the browser: its tests are tests/web.rs in
  # headless Chromium (wasm-bindgen-test-runner), built for wasm32.
  api)          files='src/api/*.rs';            targets=(--test=web) ;;
  *)
    echo "usage: scripts/mutants.sh MODULE [K/N]" >&2
    echo "MODULE: schedule optim second_order race nn augment render config api" >&2
    exit 2 ;;
esac
# MUTANTS_FILES narrows the run to some of the module's files (a glob),
# MUTANTS_RE to the mutants whose names match a regex (e.g. a function).
files=${MUTANTS_FILES:-$files}
if [[ -n "${MUTANTS_RE:-}" ]]; then args+=(--re "$MUTANTS_RE"); fi
if [[ -n "$shard" && ! "$shard" =~ ^[0-9]+/[1-9][0-9]*$ ]]; then
  echo "mutants: the shard is K/N with 0 <= K < N, got '$shard'" >&2
  exit 2
fi

timeout=240
if [[ $module == api ]]; then
  # The browser test runner, its driver and their settings (scripts/setup.sh).
  . scripts/setup.sh
  export CARGO_BUILD_TARGET=wasm32-unknown-unknown
  timeout=900
fi

if ! command -v cargo-mutants >/dev/null; then
  echo "mutants: installing cargo-mutants (crates.io)"
  cargo install --locked cargo-mutants
fi

tree="${TRAINLAB_MUTANTS_TREE:-${TMPDIR:-/tmp}/trainlab-mutants}"
if [[ -d "$tree/.git" || -f "$tree/.git" ]]; then
  # A run that was stopped leaves a mutant behind: drop it before moving,
  # and rebuild the crate, whose last build may be the mutant's (seen: a
  # restored source that cargo still took for built).
  if [[ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]]; then
    git -C "$tree" reset -q --hard
    (cd "$tree" && cargo clean -p trainlab >/dev/null 2>&1) || true
  fi
  git -C "$tree" checkout -q --detach "$(git rev-parse HEAD)"
else
  git worktree add -q --detach "$tree" HEAD
fi
# Uncommitted work is tested too: copy the working tree's tracked changes.
git diff HEAD | (cd "$tree" && git apply --allow-empty)

name=$module
for t in "${targets[@]}"; do args+=(-C "$t"); done
if [[ -n "$shard" ]]; then
  args+=(--shard "$shard" --sharding round-robin)
  name="$module-${shard/\//-of-}"
fi
mkdir -p "$ROOT/mutants.out"
cd "$tree"
status=0
cargo mutants --in-place --timeout "$timeout" -f "$files" "${args[@]}" -o "$ROOT/mutants.out/$name" || status=$?
git reset -q --hard
echo "mutants: results in mutants.out/$name/mutants.out (missed.txt: the survivors)"
# cargo-mutants exits 2 when mutants were missed, 3 on timeouts: a report, not a failure here.
if [[ $status -ne 0 && $status -ne 2 && $status -ne 3 ]]; then exit "$status"; fi
