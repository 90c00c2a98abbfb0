#!/usr/bin/env bash
# The README's run command: installs what is missing, builds (release), starts the
# upstream simulator and the console + gateway on http://127.0.0.1:3000 with the SQLite
# database in <repository>/data (its secret key beside it). On a new database it creates
# the first admin (asking for the password when there is a terminal; there is no
# default) and a demo organization, project and API key, and prints a curl line that
# sends a message through the gateway. Ctrl-C stops the server and the simulator.
#
# Works from any working directory. Settings (environment):
#   TUJENGE_DATA_DIR        where the database, its key and the demo files live (default: data/)
#   TUJENGE_ADDR            console and gateway address        (default: 127.0.0.1:3000)
#   TUJENGE_SIM_ADDR        the upstream simulator's address   (default: 127.0.0.1:3090)
#   TUJENGE_METRICS_ADDR    Prometheus metrics address         (default: 127.0.0.1:9464)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

cargo leptos build --release

data=$(mkdir -p "${TUJENGE_DATA_DIR:-$root/data}" && cd "${TUJENGE_DATA_DIR:-$root/data}" && pwd)
export TUJENGE_DATABASE_URL="sqlite://$data/tujenge.db"
export LEPTOS_SITE_ROOT="$root/target/site"
bin="$root/target/release/tujenge"
addr=${TUJENGE_ADDR:-127.0.0.1:3000}
sim_addr=${TUJENGE_SIM_ADDR:-127.0.0.1:3090}
metrics_addr=${TUJENGE_METRICS_ADDR:-127.0.0.1:9464}
# What an operator types later, from any directory, to reach this same database.
cli="$bin --database-url $TUJENGE_DATABASE_URL"

# The demo's stand-in for Meta: its access token and app secret, made once.
for secret in simulator.password simulator.token simulator.secret; do
  if [ ! -f "$data/$secret" ]; then
    (umask 077; echo "EAAG$(head -c 24 /dev/urandom | base64 | tr -d '+/=')" > "$data/$secret")
  fi
done
demo_app=1234567890 demo_waba=102290129340398 demo_number=106540352242922

# Assigned first, so a failure (a wrong key, say) stops here with its message.
users=$($bin user list)
if [ -z "$users" ]; then
  if [ -t 0 ]; then
    echo "No users yet: create the first admin (there is no default password)."
    read -r -p "Admin email: " email
    read -r -s -p "Admin password (at least 12 characters): " password; echo
    echo "$password" | $bin user create --email "$email" --role admin
  else
    echo "No users yet. Create the first admin, then log in with it:"
    echo "  echo 'a long password' | $cli user create --email you@example.com --role admin"
  fi
fi

projects=$($bin project list)
if [ "$(echo "$projects" | wc -l)" -le 1 ]; then
  echo "New database: creating the demo Meta app, organization, project (on the Cloud API) and API key."
  $bin meta-app add --app-id "$demo_app" --name "Demo app" --graph-url "http://$sim_addr" \
    --public-url "http://$addr" < "$data/simulator.secret" >/dev/null
  project=$($bin project create --name "Demo shop" --phone 255700000100 --meta-app "$demo_app" \
    --phone-number-id "$demo_number" --waba-id "$demo_waba" --org Demo < "$data/simulator.token")
  echo cloud > "$data/demo-upstream"
  # Written to a temporary file first: a failure never leaves an empty key behind.
  (umask 077; $bin key create --project "$project" --name "demo" > "$data/demo-api-key.new" \
    && mv "$data/demo-api-key.new" "$data/demo-api-key")
fi

# Both children are stopped however this script ends (Ctrl-C, SIGTERM, an error), and
# waited for, so nothing is left running.
sim="" server=""
stop() {
  trap - INT TERM EXIT
  [ -n "$server$sim" ] && kill $server $sim 2>/dev/null || true
  wait $server $sim 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# The simulator stands in for Meta's Graph API behind the demo project's number, and posts
# its notifications (signed with the app secret) to the Meta app's callback URL. A data
# folder from before the Cloud API keeps its On-Premises demo and simulator.
if [ "$(cat "$data/demo-upstream" 2>/dev/null)" = cloud ]; then
  TUJENGE_SIM_ACCESS_TOKEN=$(cat "$data/simulator.token") TUJENGE_SIM_APP_SECRET=$(cat "$data/simulator.secret") \
    $bin simulate-upstream --cloud --check-templates --addr "$sim_addr" --app-id "$demo_app" --waba-id "$demo_waba" \
    --phone-number-id "$demo_number" --callback-url "http://$addr/meta/$demo_app/webhook" >/dev/null &
else
  callback=()
  [ -s "$data/demo-inbound-url" ] && callback=(--callback-url "$(cat "$data/demo-inbound-url")")
  TUJENGE_SIM_ADMIN_PASSWORD=$(cat "$data/simulator.password") \
    $bin simulate-upstream --addr "$sim_addr" "${callback[@]}" >/dev/null &
fi
sim=$!

echo
echo "Console:  http://$addr  (log in with an admin's email and password)"
echo "Metrics:  http://$metrics_addr/metrics"
echo "Data:     $data  (database and its secret key: back them up together)"
if [ -f "$data/demo-api-key" ]; then
  echo "Send a message through the gateway to the demo project (a template: no 24-hour window needed):"
  echo "  curl -s http://$addr/v1/messages -H 'WA-API-KEY: $(cat "$data/demo-api-key")' -H 'Content-Type: application/json' \\"
  echo "    -d '{\"to\":\"15551234567\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}'"
fi
echo "Stop with Ctrl-C."
$bin serve --addr "$addr" --metrics-addr "$metrics_addr" &
server=$!
# `wait` returns early when a trapped signal arrives; the trap then stops both.
wait $server
