#!/usr/bin/env bash
# The README's test command: installs what is missing, builds once, then runs every
# test: unit, HTTP integration (server on 127.0.0.1:0) and browser (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

echo "== build (server + hydrated WASM + CSS)"
cargo leptos build

echo "== unit and HTTP integration tests"
# The same flags cargo-leptos uses for debug builds, so target/ is shared, not rebuilt.
RUSTFLAGS="--cfg erase_components" cargo test -p rules -p domain -p server

echo "== browser tests"
bash scripts/e2e.sh
