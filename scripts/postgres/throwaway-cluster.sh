#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a local port, for running the dbt project's `postgres`
# target (tests, or by hand). Nothing outside the cluster folder is touched: no system
# service, no /var/lib/postgresql, no password (trust authentication on 127.0.0.1 only).
#
#   eval "$(scripts/postgres/throwaway-cluster.sh start)"      # prints export lines
#   .venv/bin/python scripts/postgres/copy_raw.py data/warehouse/warehouse.duckdb
#   UW_DBT_TARGET=postgres .venv/bin/dbt build --project-dir dbt_project --profiles-dir dbt_project
#   scripts/postgres/throwaway-cluster.sh stop "$UW_PG_CLUSTER_DIR"   # stops and deletes it
#
# start [DIR] [PORT]  create the cluster in DIR (default: a new mktemp folder under /tmp),
#                     start it on PORT (default: a free port), create the database, and
#                     print `export UW_PG_*=…` lines (UW_PG_HOST/PORT/USER/PASSWORD/DATABASE
#                     as profiles.yml reads them, and UW_PG_CLUSTER_DIR).
# stop DIR [--keep]   stop the cluster (fast shutdown) and delete DIR unless --keep.
# status DIR          pg_ctl status.
#
# PostgreSQL refuses to run as root: when run as root, the server runs as the `postgres`
# user (Debian's package creates it) through runuser, in a folder owned by that user.
# Binaries: $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else pg_config --bindir.
# Exit status 3 means the PostgreSQL binaries are missing.
set -euo pipefail

DB_USER="${UW_PG_USER:-union_warehouse}"
DB_NAME="${UW_PG_DATABASE:-union_warehouse}"

die() { echo "throwaway-cluster: $*" >&2; exit 1; }

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  echo "throwaway-cluster: PostgreSQL binaries (initdb, pg_ctl) not found; set PG_BIN" >&2
  exit 3
}

# Run a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local py
  py="$(command -v python3 || command -v python || true)"
  [ -n "$py" ] || die "python3 is needed to find a free port; pass PORT"
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
  local dir="${1:-}" port="${2:-}" bin
  bin="$(find_bin)"
  local created=""
  if [ -z "$dir" ]; then
    dir="$(mktemp -d /tmp/uw-pg.XXXXXX)"
    created=1
  else
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
  fi
  # The socket path must stay short (107 bytes); the folder is the socket directory.
  [ ${#dir} -lt 80 ] || die "cluster folder path too long for a socket: $dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the cluster"
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  [ -n "$port" ] || port="$(free_port)"

  # on failure: show the log, stop what started, delete the folder if this call made it
  failed() {
    cat "$dir/$2" >&2 2>/dev/null || true
    if [ -n "$created" ]; then cmd_stop "$dir" >/dev/null 2>&1 || true; else cmd_stop "$dir" --keep >/dev/null 2>&1 || true; fi
    die "$1"
  }
  as_owner "$bin/initdb" -D "$dir/data" -U "$DB_USER" -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || failed "initdb failed" initdb.log
  # Throwaway: durability off for speed; only 127.0.0.1 and the folder's socket.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || failed "pg_ctl start failed" server.log
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME" || failed "createdb failed" server.log

  echo "$port" >"$dir/port"
  cat <<EOF
export UW_PG_HOST=127.0.0.1
export UW_PG_PORT=$port
export UW_PG_USER=$DB_USER
export UW_PG_PASSWORD=
export UW_PG_DATABASE=$DB_NAME
export UW_PG_CLUSTER_DIR=$dir
EOF
}

cmd_stop() {
  local dir="${1:-}" keep="${2:-}" bin
  [ -n "$dir" ] || die "usage: stop DIR [--keep]"
  [ -d "$dir" ] || return 0
  bin="$(find_bin)"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ "$keep" != "--keep" ]; then
    rm -rf "$dir"
  fi
}

cmd_status() {
  local dir="${1:-}" bin
  [ -n "$dir" ] || die "usage: status DIR"
  bin="$(find_bin)"
  as_owner "$bin/pg_ctl" -D "$dir/data" status
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) echo "usage: $0 start [DIR] [PORT] | stop DIR [--keep] | status DIR" >&2; exit 2 ;;
esac
