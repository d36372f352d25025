# Sourced by scripts/test (and scripts/bench-server): a throwaway PostgreSQL 15 from Debian's
# package, for the server's tests on PostgreSQL. Not meant to be run.
#
# start_throwaway_postgres: initdb + pg_ctl into a new temp dir owned by the `postgres` user
# (PostgreSQL refuses to run as root, which this script usually is, here and in CI), on
# 127.0.0.1 and a free port, trust authentication for local connections only; exports
# KAGO_TEST_POSTGRES_URL (port: KAGO_PG_PORT, or a free one), and stops it and deletes the dir on exit (trap).

pg_bin=/usr/lib/postgresql/15/bin

# Runs a command as the postgres user when we are root (as ourselves otherwise).
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_throwaway_postgres() {
  if [ -n "${kago_pg_dir:-}" ] && [ -d "$kago_pg_dir" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$kago_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$kago_pg_dir"
  fi
}

start_throwaway_postgres() {
  [ -x "$pg_bin/initdb" ] || die "PostgreSQL 15 is not installed ($pg_bin): run scripts/setup"
  kago_pg_dir="$(mktemp -d /tmp/kago-pg.XXXXXX)"
  trap stop_throwaway_postgres EXIT
  if [ "$(id -u)" = 0 ]; then chown postgres: "$kago_pg_dir"; fi
  local port
  port="${KAGO_PG_PORT:-$(free_port)}"
  as_pg_user "$pg_bin/initdb" -D "$kago_pg_dir/data" -U postgres --auth=trust --locale=C.UTF-8 \
    --encoding=UTF8 >"$kago_pg_dir/initdb.log" 2>&1 \
    || { cat "$kago_pg_dir/initdb.log" >&2; die "initdb failed"; }
  as_pg_user "$pg_bin/pg_ctl" -D "$kago_pg_dir/data" -l "$kago_pg_dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $kago_pg_dir -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$kago_pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
  export KAGO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "throwaway PostgreSQL 15 on 127.0.0.1:$port ($kago_pg_dir, deleted on exit)"
}
