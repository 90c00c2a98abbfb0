#!/usr/bin/env bash
# The README's run command: installs what is missing, builds (release), makes sure an
# admin exists, and starts the console on http://127.0.0.1:3000 with ./data/tujenge.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

cargo leptos build --release
export LEPTOS_SITE_ROOT=target/site
bin=target/release/tujenge
addr=${TUJENGE_ADDR:-127.0.0.1:3000}

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

echo
echo "Tujenge console: http://$addr  (log in with an admin's email and password)"
echo "Stop with Ctrl-C."
exec $bin serve --addr "$addr"
