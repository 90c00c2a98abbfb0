#!/usr/bin/env bash
# Starts the built server on a throwaway database, creates the test admin from the
# command line (as an operator would), runs the Playwright tests, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

work=$(mktemp -d)
server="" simulator="" graph=""
cleanup() { kill $server $simulator $graph 2>/dev/null || true; wait $server $simulator $graph 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=${E2E_PORT:-3100}
export E2E_BASE_URL="http://127.0.0.1:$port"
export E2E_ADMIN_EMAIL="admin@tujenge.test"
export E2E_ADMIN_PASSWORD="e2e admin password $(date +%s)"
export TUJENGE_DATABASE_URL="sqlite://$work/e2e.db"
export TUJENGE_SECRET_KEY_FILE="$work/secret.key"
export E2E_SUPPORT_EMAIL="support@tujenge.test"
export E2E_SUPPORT_PASSWORD="e2e support password"
export E2E_SIM_PASSWORD="e2e simulator password"
export E2E_SIM_URL="http://127.0.0.1:${E2E_SIM_PORT:-3190}"
# The Cloud API side: Graph simulated for one number of one Meta app, posting its
# notifications (signed with the app secret) to the app's callback URL on the server.
export E2E_GRAPH_URL="http://127.0.0.1:${E2E_GRAPH_PORT:-3191}"
export E2E_META_APP_ID="1234567890"
export E2E_META_APP_SECRET="e2e meta app secret"
export E2E_ACCESS_TOKEN="EAAGe2eSystemUserAccessToken0123456789abcd"
export E2E_PHONE_NUMBER_ID="106540352242922"
export E2E_WABA_ID="102290129340398"
export LEPTOS_SITE_ROOT=target/site
# The binary under test: the release build in CI (what users run), or a debug build.
bin=${E2E_BIN:-target/release/tujenge}

echo "$E2E_ADMIN_PASSWORD" | $bin user create --email "$E2E_ADMIN_EMAIL" --role admin >/dev/null
echo "$E2E_SUPPORT_PASSWORD" | $bin user create --email "$E2E_SUPPORT_EMAIL" --role support >/dev/null
$bin simulate-upstream --addr "${E2E_SIM_URL#http://}" --admin-password "$E2E_SIM_PASSWORD" >"$work/simulator.log" 2>&1 &
simulator=$!
$bin simulate-upstream --cloud --addr "${E2E_GRAPH_URL#http://}" --app-id "$E2E_META_APP_ID" \
  --app-secret "$E2E_META_APP_SECRET" --access-token "$E2E_ACCESS_TOKEN" --waba-id "$E2E_WABA_ID" \
  --phone-number-id "$E2E_PHONE_NUMBER_ID" \
  --callback-url "$E2E_BASE_URL/meta/$E2E_META_APP_ID/webhook" >"$work/graph.log" 2>&1 &
graph=$!
$bin serve --addr "127.0.0.1:$port" --allow-insecure-webhooks --webhook-allow-cidr 127.0.0.0/8 >"$work/server.log" 2>&1 &
server=$!

# Both must be up (and be ours: a port already taken makes them exit) before any test runs.
up=false
for _ in $(seq 1 100); do
  if curl -fsS "$E2E_BASE_URL/healthz" >/dev/null 2>&1 && curl -s -o /dev/null "$E2E_SIM_URL/" \
    && curl -s -o /dev/null "$E2E_GRAPH_URL/"; then up=true; break; fi
  sleep 0.1
done
if ! $up || ! kill -0 "$server" 2>/dev/null || ! kill -0 "$simulator" 2>/dev/null || ! kill -0 "$graph" 2>/dev/null; then
  echo "FAIL: the server or a simulator did not start"; tail -n 20 "$work/server.log" "$work/simulator.log" "$work/graph.log"; exit 1
fi

mkdir -p end2end/screenshots
status=0
npx playwright test --config end2end/playwright.config.ts ${E2E_GREP:+-g "$E2E_GREP"} || status=$?
if [ $status -ne 0 ]; then
  echo "---- server log (last 60 lines)"; tail -n 60 "$work/server.log"
fi
if grep -q "upstream secret" "$work/server.log"; then
  echo "FAIL: an upstream password appeared in the server log"; status=1
fi
if grep -qe "$E2E_ACCESS_TOKEN" -e "$E2E_META_APP_SECRET" "$work/server.log"; then
  echo "FAIL: the access token or the Meta app secret appeared in the server log"; status=1
fi
exit $status
