#!/usr/bin/env bash
# Installs what building and testing need, from the package registries only, and skips
# whatever is already present. Safe to run again and again.
#   scripts/setup.sh          toolchain, cargo-leptos, wasm-bindgen, npm tools
#   scripts/setup.sh --test   the same, plus Debian's Chromium and PostgreSQL for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# 1. The pinned Rust toolchain with the wasm32 target (automatic installs are off here).
if ! rustup run "$toolchain" rustc --print target-list >/dev/null 2>&1 \
   || ! rustup target list --installed --toolchain "$toolchain" | grep -q wasm32-unknown-unknown; then
  say "installing Rust $toolchain with wasm32"
  rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy --target wasm32-unknown-unknown
fi

# 2. cargo-leptos, built so that it never downloads tools (they come from PATH).
if ! cargo leptos --version 2>/dev/null | grep -q "0.3.11"; then
  say "building cargo-leptos 0.3.11 (about 10 minutes, once)"
  cargo install cargo-leptos --version =0.3.11 --locked --features no_downloads
fi

# 2b. leptosfmt, which formats the view! macros (rustfmt leaves macro bodies alone).
if ! leptosfmt --version 2>/dev/null | grep -q "0.1.33"; then
  say "installing leptosfmt 0.1.33"
  cargo install leptosfmt --version =0.1.33 --locked
fi

# 3. wasm-bindgen-cli at exactly the version in Cargo.lock (without --locked: its own
#    lock names a crate version the registry lacks).
wbg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
  say "installing wasm-bindgen-cli $wbg"
  cargo install wasm-bindgen-cli --version "=$wbg" --force
fi

# 4. Tailwind, wasm-opt (npm's binaryen; Debian's breaks the bundle) and Playwright, locked.
if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools from package-lock.json"
  npm ci --no-audit --no-fund
fi

# 5. Debian's Chromium for the browser tests (never a downloaded browser).
if $want_test && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# 6. Debian's PostgreSQL server binaries (initdb, pg_ctl) for the PostgreSQL test run; no
#    system cluster is used: the tests start a throwaway one (scripts/pg.sh).
if $want_test && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing Debian's postgresql"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi

say "ready"
