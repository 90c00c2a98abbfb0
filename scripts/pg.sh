#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, from Debian's packages, for tests and
# benchmarks:  eval "$(scripts/pg.sh start)"  ...  scripts/pg.sh stop "$TUJENGE_PG_DIR"
# `start` prints the variables to export: TUJENGE_PG_DIR (its data folder, removed on
# stop) and TUJENGE_TEST_POSTGRES (postgres://postgres@127.0.0.1:PORT, trust auth).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2; exit 1; }
# initdb refuses to run as root: run the cluster as the postgres system user then.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/tujenge-pg.XXXXXX)
    # Until the cluster answers, a failure removes what was started.
    trap 'as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB ${TUJENGE_PG_OPTIONS:-}" start >/dev/null
    trap - EXIT
    echo "export TUJENGE_PG_DIR=$dir TUJENGE_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port"
    ;;
  stop)
    dir=${2:?the folder that start printed}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
