#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test suites and the two-node test, from
# Debian's packages (installed here when missing). Its data lives in DIR; it listens on
# 127.0.0.1:PORT only, with trust authentication for the user "postgres" (a test instance: no
# other address can reach it).
#
#   bash scripts/postgres.sh start DIR [PORT]   → prints the Npgsql connection string (no database)
#   bash scripts/postgres.sh stop DIR
#
# The connection string names no database: each test creates its own.
set -euo pipefail

command=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop DIR [PORT]}
port=${3:-55432}

pg_bin() {
  local version
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] && echo "/usr/lib/postgresql/$version/bin"
}

case "$command" in
  start)
    if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
      echo "installing postgresql (Debian package)" >&2
      (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql) >&2
    fi
    bin=$(pg_bin)
    # The package's own cluster (if its post-install started one) is left alone; ours is private.
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
    as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    as_postgres test -w "$dir" || { echo "postgres.sh: user postgres cannot reach $dir (use a folder whose parents it can traverse, e.g. /tmp/nh-postgres)" >&2; exit 1; }
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    # Crash safety of the database server itself is not under test (the application is what the
    # fault tests kill), so fsync is off to keep the suites fast.
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >&2 || { tail -n 30 "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres"
    ;;
  stop)
    bin=$(pg_bin)
    if [ -n "$bin" ] && [ -f "$dir/postmaster.pid" ]; then
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2 || true
      else "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2 || true; fi
    fi
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
