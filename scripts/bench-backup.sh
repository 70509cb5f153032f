#!/usr/bin/env bash
# `buddy db backup` and `buddy db restore` on a private cluster holding WORKOUTS workouts
# (default 100,000) of 100 users: the cluster lives under a temporary HOME (removed at the end),
# is filled through its administrator connection with COPY, then backed up and restored with
# the release binary. Prints backup seconds, dump size and restore seconds.
# Usage: scripts/bench-backup.sh [WORKOUTS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
workouts=${1:-100000}
[[ $workouts =~ ^[0-9]+$ && $workouts -ge 100 && $workouts -le 100000000 ]] || {
  say "usage: scripts/bench-backup.sh [WORKOUTS] (100 to 100000000)"
  exit 64
}

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
bindir=$(pg_bindir)
psql_bin="$bindir/psql"
work=$(mktemp -d /tmp/buddy-bench-backup.XXXXXX)
chmod 755 "$work"
export BUDDY_PG_BINDIR=$bindir BUDDY_CLUSTER_DIR=$work/pg
b() { HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data "$buddy_bin" "$@"; }
cleanup() {
  b db stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

b db start >/dev/null
admin_url="postgresql:///buddy?host=$work/pg/run&user=buddy"
printf '%s\n' 'bench-password' | b register --email b@example.com --username bench --password-stdin >/dev/null
printf '%s\n' 'bench-password' | b login --password-stdin bench >/dev/null
start=$(date +%s%N)
"$psql_bin" -q "$admin_url" -c "INSERT INTO users (email, username, hashed_password)
  SELECT 'u' || g || '@example.com', 'user' || g, 'x' FROM generate_series(1, 99) g"
per_user=$((workouts / 100))
"$psql_bin" -qAt "$admin_url" -c "COPY (
    SELECT u.id, CASE WHEN g % 3 = 0 THEN 'jump-rope' WHEN g % 3 = 1 THEN 'squat' ELSE 'push-up' END,
      5 + g % 40, 30 + g % 300, (g % 50) / 3.0,
      now() - (g * interval '17 minutes') - (random() * interval '1 hour')
    FROM users u, generate_series(1, $per_user) g
  ) TO STDOUT" |
  "$psql_bin" -q "$admin_url" -c "COPY workouts (user_id, exercise_type, reps_count, duration_seconds,
    calories_burned, created_at) FROM STDIN"
"$psql_bin" -q "$admin_url" -c "VACUUM ANALYZE workouts"
rows=$("$psql_bin" -qAt "$admin_url" -c 'SELECT count(*) FROM workouts')
size=$("$psql_bin" -qAt "$admin_url" -c "SELECT pg_size_pretty(pg_database_size('buddy'))")
say "seeded $rows workouts in $(( ($(date +%s%N) - start) / 1000000 )) ms (database $size)"
digest_sql="SELECT md5(string_agg(id::text || reps_count || created_at, ',' ORDER BY id)) FROM workouts"
before=$("$psql_bin" -qAt "$admin_url" -c "$digest_sql")
history_before=$(b history --format csv --limit 5)

dump=$work/bench.dump
t0=$(date +%s%N)
b db backup "$dump" >&2
t1=$(date +%s%N)
b db restore --yes "$dump" >/dev/null
t2=$(date +%s%N)
after_rows=$("$psql_bin" -qAt "$admin_url" -c 'SELECT count(*) FROM workouts')
after=$("$psql_bin" -qAt "$admin_url" -c "$digest_sql")
history_after=$(b history --format csv --limit 5)
[[ $after_rows == "$rows" && $after == "$before" && $history_after == "$history_before" ]] || {
  say "bench: the restored database differs ($after_rows rows, expected $rows)"
  exit 1
}
# How much of the restore is pg_restore itself (into a scratch database of the same cluster).
"$psql_bin" -q "$admin_url" -c "CREATE DATABASE restore_probe"
t3=$(date +%s%N)
"$bindir/pg_restore" --exit-on-error --single-transaction \
  --dbname="postgresql:///restore_probe?host=$work/pg/run&user=buddy" "$dump"
t4=$(date +%s%N)
"$psql_bin" -q "$admin_url" -c "DROP DATABASE restore_probe"
bytes=$(stat -c %s "$dump")
printf 'workouts: %s\n' "$rows"
printf 'db backup: %d.%03d s\n' $(( (t1 - t0) / 1000000000 )) $(( (t1 - t0) / 1000000 % 1000 ))
printf 'dump size: %.1f MB (%d bytes)\n' "$(echo "$bytes / 1000000" | bc -l)" "$bytes"
printf 'db restore: %d.%03d s (stop, move aside, initdb, start, roles, pg_restore, checks)\n' \
  $(( (t2 - t1) / 1000000000 )) $(( (t2 - t1) / 1000000 % 1000 ))
printf '  of which pg_restore alone: %d.%03d s\n' \
  $(( (t4 - t3) / 1000000000 )) $(( (t4 - t3) / 1000000 % 1000 ))
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
