#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and benchmarks.
#
#   scripts/postgres-test-server.sh start STATE_DIR
#   scripts/postgres-test-server.sh stop  STATE_DIR
#
# start: initdb in a fresh temporary directory, listen on 127.0.0.1 only, on
# a free unprivileged port, with the unix socket in that temporary directory,
# and write into STATE_DIR (created if missing):
#   url           postgresql://cppbatch@127.0.0.1:PORT/cppbatch_test (trust)
#   password-url  the same database as user cppbatch_pw, with its password
#                 percent-encoded in the URL (scram-sha-256 authentication)
#   password      that password, raw (tests check it never leaks into errors)
#   datadir       the temporary directory (data/, socket, server.log)
# A server still recorded in STATE_DIR (an earlier run that was not stopped)
# is stopped first. Each build tree passes its own STATE_DIR, so concurrent
# trees get their own data directory and port.
#
# stop: stops the server recorded in STATE_DIR and removes its temporary
# directory and the files above. Stopping when nothing runs is not an error.
#
# PostgreSQL refuses to run as root: when run by root (CI containers), the
# server programs run as the `postgres` user (runuser, else setpriv).
# The newest /usr/lib/postgresql/<version>/bin is used unless PG_BINDIR is set.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
state=$2

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    echo "$PG_BINDIR"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres-test-server: no PostgreSQL server found under /usr/lib/postgresql (install postgresql or set PG_BINDIR)" >&2
    exit 1
  fi
  echo "$dir"
}

# Runs a server program as an unprivileged user when we are root.
as_server_user() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  fi
}

stop_server() {
  [ -f "$state/datadir" ] || return 0
  local tmp
  tmp=$(cat "$state/datadir")
  if [ -d "$tmp/data" ]; then
    local bindir
    bindir=$(find_bindir)
    as_server_user "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  case "$tmp" in
    */cppbatch-pg.*) rm -rf "$tmp" ;;
  esac
  rm -f "$state/datadir" "$state/url" "$state/password-url" "$state/password"
}

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

start_server() {
  stop_server
  mkdir -p "$state"
  local bindir tmp
  bindir=$(find_bindir)
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cppbatch-pg.XXXXXX")
  chmod 700 "$tmp"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$tmp"
  fi
  echo "$tmp" > "$state/datadir"

  local password='s3cr:t@p/w%d'
  local password_encoded='s3cr%3At%40p%2Fw%25d'
  as_server_user "$bindir/initdb" -D "$tmp/data" -U cppbatch --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
  # The password user must authenticate; everyone else on loopback is trusted.
  cat > "$tmp/data/pg_hba.conf" <<'EOF'
local all all                  trust
host  all cppbatch_pw 127.0.0.1/32 scram-sha-256
host  all all         127.0.0.1/32 trust
EOF

  # A port derived from the state directory, so two trees rarely try the
  # same one; a port taken meanwhile is skipped at the next attempt.
  local hash port attempt started=0
  hash=$(printf '%s' "$state" | cksum | cut -d' ' -f1)
  port=$((20000 + hash % 30000))
  for attempt in $(seq 1 40); do
    if ! port_in_use "$port"; then
      if as_server_user "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
          start >/dev/null 2>&1; then
        started=1
        break
      fi
    fi
    port=$((20000 + (port - 20000 + 7919) % 30000))
  done
  if [ "$started" -ne 1 ]; then
    echo "postgres-test-server: the server did not start; log:" >&2
    cat "$tmp/server.log" >&2 || true
    exit 1
  fi

  local psql="$bindir/psql"
  [ -x "$psql" ] || psql=psql
  "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U cppbatch -d postgres <<EOF
CREATE DATABASE cppbatch_test;
SET password_encryption = 'scram-sha-256';
CREATE ROLE cppbatch_pw LOGIN SUPERUSER PASSWORD '$password';
EOF
  printf '%s\n' "$password" > "$state/password"
  echo "postgresql://cppbatch@127.0.0.1:$port/cppbatch_test" > "$state/url"
  echo "postgresql://cppbatch_pw:$password_encoded@127.0.0.1:$port/cppbatch_test" > "$state/password-url"
  echo "postgres-test-server: $(cat "$state/url") (data in $tmp)"
}

case "$action" in
  start) start_server ;;
  stop) stop_server ;;
  *) usage ;;
esac
