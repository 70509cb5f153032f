#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL cluster that it creates, starts and always stops.
# Usage: scripts/test.sh [extra `swift test` arguments, e.g. --filter PostgresTests]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

ensure_packages
bindir=$(pg_bindir)

work=$(mktemp -d /tmp/buddy-test.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/run"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$work/run"; fi
port=$(free_port)

cleanup() {
  local status=$?
  as_server_user "$bindir/pg_ctl" -D "$work/data" stop -m immediate -w >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

say "test cluster: $work (port $port)"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$work"; fi
as_server_user "$bindir/initdb" -D "$work/data" -U buddy_test --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 -N >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
cat >>"$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
as_server_user "$bindir/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 60 start >/dev/null \
  || { cat "$work/postgres.log" >&2; exit 1; }
if [[ $(id -u) -eq 0 ]]; then chmod 755 "$work"; fi

export BUDDY_TEST_DATABASE_URL="postgresql:///postgres?host=$work/run&port=$port&user=buddy_test"
export BUDDY_TEST_TCP_PORT=$port
export BUDDY_TEST_SERVER_LOG="$work/postgres.log"
export BUDDY_PG_BINDIR=$bindir

say "pose models and golden vectors"
scripts/fetch-pose-models.sh
scripts/make-golden.sh

say "building"
swift build --build-tests
export BUDDY_BIN
BUDDY_BIN="$(swift build --show-bin-path)/buddy"

say "testing"
swift test --skip-build "$@"

say "real-data accuracy (push-ups; skips when ../shared/realdata is absent)"
scripts/eval-realdata.sh "$BUDDY_BIN"

say "lint"
swift format lint --strict --recursive Package.swift Sources Tests
say "all tests and lint passed"
