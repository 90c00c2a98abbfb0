#!/usr/bin/env bash
# The README's test command: installs what is missing, checks format and lints, then runs
# every test: unit and HTTP integration (server on 127.0.0.1:0) on SQLite and PostgreSQL, the release build
# that the run command makes, a smoke run of the run command itself, and the browser
# tests (headless Chromium) against that release build: what users run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

# cargo test with the same flags and LEPTOS_* variables cargo-leptos passes for debug
# builds, so target/ is shared (leptos reads some at compile time).
cargo_test() {
  LEPTOS_OUTPUT_NAME=tujenge LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false RUSTFLAGS="--cfg erase_components" cargo test "$@"
}

echo "== format and lints"
bash scripts/lint.sh

echo "== unit and HTTP integration tests (SQLite)"
cargo_test -p rules -p domain -p server --lib --tests 2>&1 | tee "$log"

echo "== HTTP integration tests again, on PostgreSQL (a throwaway cluster on loopback)"
# Captured first, so a failed start stops the script (set -e does not see into "eval $(…)").
pg_env=$(TUJENGE_PG_OPTIONS="-c fsync=off -c synchronous_commit=off" bash scripts/pg.sh start)
eval "$pg_env"
trap 'bash scripts/pg.sh stop "$TUJENGE_PG_DIR"; rm -f "$log"' EXIT
TUJENGE_TEST_POSTGRES="$TUJENGE_TEST_POSTGRES" cargo_test -p server --test http 2>&1 | tee -a "$log"
bash scripts/pg.sh stop "$TUJENGE_PG_DIR"
trap 'rm -f "$log"' EXIT

echo "== release build (what the run command builds: server + hydrated WASM + CSS)"
cargo leptos build --release

echo "== the run command, smoke-tested"
bash scripts/smoke-run.sh 2>&1 | tee -a "$log"

echo "== browser tests (against the release build)"
E2E_BIN=target/release/tujenge bash scripts/e2e.sh 2>&1 | tee -a "$log"

# One closing line over every runner.
rust_passed=$(grep -o '[0-9]* passed;' "$log" | awk '{s+=$1} END {print s+0}')
e2e_passed=$(grep -oE '^ *[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
smoke_passed=$(grep -c '^ok: ' "$log" || true)
echo "summary: $((rust_passed + e2e_passed + smoke_passed)) passed, 0 failed"
