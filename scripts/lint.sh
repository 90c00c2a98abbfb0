#!/usr/bin/env bash
# Format and lint checks, run first by the test command (so CI fails on any finding):
# rustfmt (rustfmt.toml), leptosfmt for the view! macros (leptosfmt.toml), and clippy
# with warnings as errors on every target, for the server build (app with `ssr`) and the
# browser build (app with `hydrate`, wasm32). `scripts/lint.sh --fix` formats instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

if [ "${1:-}" = "--fix" ]; then
  leptosfmt -q app/src && cargo fmt --all
  exit 0
fi

echo "== rustfmt"
cargo fmt --all --check
echo "== leptosfmt"
leptosfmt --check -q app/src >/dev/null 2>&1 || { leptosfmt --check app/src | grep -v '^✅'; exit 1; }

# The same RUSTFLAGS and LEPTOS_* as the tests' build, so both share target/.
export LEPTOS_OUTPUT_NAME=tujenge LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false RUSTFLAGS="--cfg erase_components"
echo "== clippy (server: every crate and target, app with ssr)"
cargo clippy --workspace --all-targets -- -D warnings
echo "== clippy (browser: app with hydrate, wasm32)"
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
echo "lint: clean"
