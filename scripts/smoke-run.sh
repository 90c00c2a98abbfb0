#!/usr/bin/env bash
# CI's proof of the README's run command. Runs scripts/run.sh as a new user would (from
# scripts/, without a terminal, on a throwaway data directory and ports of its own) and
# checks: it starts; /healthz answers; the login page's hydration script, WASM and CSS
# (as the page references them) load; the curl line it prints sends a message through
# the gateway to the simulator and gets a message id; Ctrl-C (SIGINT to its process
# group, as a terminal sends it) stops the server and the simulator, leaving nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
log="$work/run.log"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port) sim_port=$(free_port) metrics_port=$(free_port)
base="http://127.0.0.1:$port"
fail() {
  echo "FAIL (run command): $*"
  echo "---- run.sh output (last 40 lines)"; tail -n 40 "$log" || true
  exit 1
}

# Job control gives run.sh its own process group and keeps SIGINT deliverable to it
# (a background job of a script without job control would ignore SIGINT).
set -m
(cd "$root/scripts" && TUJENGE_DATA_DIR="$work/data" TUJENGE_ADDR="127.0.0.1:$port" \
  TUJENGE_SIM_ADDR="127.0.0.1:$sim_port" TUJENGE_METRICS_ADDR="127.0.0.1:$metrics_port" \
  exec bash ./run.sh) </dev/null >"$log" 2>&1 &
run=$!
set +m
cleanup() { kill -KILL -- "-$run" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# It builds first (already built here: seconds), then starts.
for _ in $(seq 1 1200); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$run" 2>/dev/null || fail "run.sh exited before the server answered"
  sleep 0.5
done
[ "$(curl -fsS "$base/healthz")" = "ok" ] || fail "/healthz did not answer ok"
grep -q "Console:  $base" "$log" || fail "run.sh did not print the console address"
echo "ok: started, /healthz answers, console address printed"

# The login page and every script, WASM and stylesheet it references.
page=$(curl -fsS "$base/login") || fail "the login page did not load"
assets=$(grep -oE '(href|src)="/pkg/[^"]+"|import\(.?/pkg/[^")]+|/pkg/[A-Za-z0-9._-]+\.(js|wasm|css)' <<<"$page" \
  | grep -oE '/pkg/[A-Za-z0-9._-]+' | sort -u)
grep -q '\.js$' <<<"$assets" || fail "the login page references no hydration script"
grep -q '\.wasm$' <<<"$assets" || fail "the login page references no WASM"
for asset in $assets; do
  type=$(curl -fsS -o "$work/asset" -w '%{content_type}' "$base$asset") || fail "$asset did not load"
  [ -s "$work/asset" ] || fail "$asset is empty"
  case "$asset" in
    *.wasm) [ "$type" = "application/wasm" ] || fail "$asset served as '$type'"
            head -c 4 "$work/asset" | od -An -tx1 | grep -q '00 61 73 6d' || fail "$asset is not WASM" ;;
    *.js) grep -q 'hydrate' "$work/asset" || fail "$asset has no hydrate entry point" ;;
  esac
  echo "ok: $asset ($type, $(wc -c <"$work/asset") bytes)"
done

# The demo's curl line, exactly as printed (two lines joined by the trailing backslash).
line=$(grep -A1 -E '^  curl -s ' "$log") || fail "run.sh printed no curl line"
answer=$(bash -c "$line") || fail "the curl line failed"
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["id"])' <<<"$answer" 2>/dev/null) \
  || fail "the curl line got no message id: $answer"
echo "ok: the printed curl line sent a message through the gateway (id $id)"

# Ctrl-C: SIGINT to the foreground process group, then nothing of it may be left.
kill -INT -- "-$run"
for _ in $(seq 1 100); do
  pgrep -g "$run" >/dev/null || break
  sleep 0.2
done
if pgrep -g "$run" >/dev/null; then
  ps -o pid,cmd -g "$run" || true
  fail "processes left running 20 s after Ctrl-C"
fi
for p in "$port" "$sim_port" "$metrics_port"; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then fail "port $p still answers after Ctrl-C"; fi
done
echo "ok: Ctrl-C stopped the server and the simulator; nothing left running"
echo "smoke test of the run command: passed"
