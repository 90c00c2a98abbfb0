#!/usr/bin/env bash
# The README's run command: installs what is missing, builds (release), starts the
# upstream simulator and the console + gateway on http://127.0.0.1:3000 with
# ./data/tujenge.db. On a new database it creates the first admin (asking for the
# password; there is no default) and a demo organization, project and API key, and
# prints a curl line that sends a message through the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

cargo leptos build --release
export LEPTOS_SITE_ROOT=target/site
bin=target/release/tujenge
addr=${TUJENGE_ADDR:-127.0.0.1:3000}
sim_addr=${TUJENGE_SIM_ADDR:-127.0.0.1:3090}
metrics_addr=${TUJENGE_METRICS_ADDR:-127.0.0.1:9464}
mkdir -p data

if [ ! -f data/simulator.password ]; then
  (umask 077; head -c 18 /dev/urandom | base64 > data/simulator.password)
fi

if [ -z "$($bin user list)" ]; then
  if [ -t 0 ]; then
    echo "No users yet: create the first admin (there is no default password)."
    read -r -p "Admin email: " email
    read -r -s -p "Admin password (at least 12 characters): " password; echo
    echo "$password" | $bin user create --email "$email" --role admin
  else
    echo "No users yet. Create the first admin, then log in with it:"
    echo "  echo 'a long password' | $bin user create --email you@example.com --role admin"
  fi
fi

if [ "$($bin project list | wc -l)" -le 1 ]; then
  echo "New database: creating the demo organization, project and API key."
  project=$($bin project create --name "Demo shop" --phone 255700000100 --upstream-url "http://$sim_addr" --upstream-user admin --org Demo < data/simulator.password)
  # Written to a temporary file first: a failure never leaves an empty key behind.
  (umask 077; $bin key create --project "$project" --name "demo" > data/demo-api-key.new && mv data/demo-api-key.new data/demo-api-key)
  (umask 077; $bin project show "$project" --public-url "http://$addr" | sed -n 's/^inbound URL: *//p' > data/demo-inbound-url.new && mv data/demo-inbound-url.new data/demo-inbound-url)
fi

# The simulator stands in for the demo project's WhatsApp Business API client and sends
# its notifications to the demo project's inbound URL.
callback=()
[ -s data/demo-inbound-url ] && callback=(--callback-url "$(cat data/demo-inbound-url)")
TUJENGE_SIM_ADMIN_PASSWORD=$(cat data/simulator.password) $bin simulate-upstream --addr "$sim_addr" "${callback[@]}" >/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT

echo
echo "Console:  http://$addr  (log in with an admin's email and password)"
echo "Metrics:  http://$metrics_addr/metrics"
if [ -f data/demo-api-key ]; then
  echo "Send a message through the gateway to the demo project (a template: no 24-hour window needed):"
  echo "  curl -s http://$addr/v1/messages -H 'WA-API-KEY: $(cat data/demo-api-key)' -H 'Content-Type: application/json' \\"
  echo "    -d '{\"to\":\"15551234567\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en\"}}}'"
fi
echo "Stop with Ctrl-C."
$bin serve --addr "$addr" --metrics-addr "$metrics_addr" &
server=$!
trap 'kill $server $sim 2>/dev/null || true' EXIT INT TERM
wait $server
