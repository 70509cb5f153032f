#!/usr/bin/env bash
# `buddy export` and the import of its file on a throwaway cluster: WORKOUTS rows (default
# 100000) for one user, each with the details of a real counted session (per-rep breakdown and
# signal, copied from recording a fixture), exported as JSON Lines and as CSV, then restored
# into a fresh database and imported a second time (all skipped). Prints wall time, rows/s,
# file size and peak RSS (/usr/bin/time), which stays flat because export reads keyset pages
# and import streams its file. Release build.
# Usage: scripts/bench-export.sh [WORKOUTS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
workouts=${1:-100000}

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
work=$(mktemp -d /tmp/buddy-bench-export.XXXXXX)

user_db() {
  local db=$1 name=$2
  "$psql_bin" -q "$cluster_admin_url" -c "CREATE DATABASE $db"
  url="postgresql:///$db?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
  home="$work/home-$db"
  b() { HOME=$home XDG_CONFIG_HOME=$home/config BUDDY_DATABASE_URL=$url "$buddy_bin" "$@"; }
  b db migrate >/dev/null
  printf '%s\n' 'bench-password' | b register --email "$name@example.com" --username "$name" \
    --password-stdin >/dev/null
  printf '%s\n' 'bench-password' | b login --password-stdin "$name" >/dev/null
}

# Runs `b "$@"` and prints "ms peak_rss_kb".
timed() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" env HOME="$home" XDG_CONFIG_HOME="$home/config" \
    BUDDY_DATABASE_URL="$url" "$buddy_bin" "$@" >"$work/out"
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(cat "$work/rss")"
}

user_db bench_export_a ann
b record Fixtures/mp33-side-15fps-steady.json >/dev/null
# Copies of the recorded workout, one minute apart, each with its own digest; every tenth a
# manual entry (no digest).
"$psql_bin" -q "$url" <<SQL
INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, calories_burned,
  created_at, details, source_digest)
SELECT w.user_id, w.exercise_type, w.reps_count, w.duration_seconds, w.calories_burned,
  timestamptz '2020-01-01 00:00:00.123456+00' + g * interval '1 minute',
  CASE WHEN g % 10 = 0 THEN '{"source": "manual"}'::jsonb ELSE w.details END,
  CASE WHEN g % 10 = 0 THEN NULL ELSE sha256(int8send(g)) END
FROM workouts w, generate_series(1, $((workouts - 1))) g;
ANALYZE workouts;
SQL
detail_bytes=$("$psql_bin" -qAt "$url" -c \
  "SELECT avg(octet_length(details::text))::int FROM workouts WHERE source_digest IS NOT NULL")
read -r export_ms export_rss < <(timed export -o "$work/w.jsonl")
read -r csv_ms csv_rss < <(timed export --format csv -o "$work/w.csv")
jsonl_bytes=$(stat -c %s "$work/w.jsonl")
csv_bytes=$(stat -c %s "$work/w.csv")

user_db bench_export_b bob
read -r import_ms import_rss < <(timed import "$work/w.jsonl")
imported=$(cat "$work/out")
read -r again_ms again_rss < <(timed import "$work/w.jsonl")
again=$(cat "$work/out")
rows=$("$psql_bin" -qAt "$url" -c "SELECT count(*) FROM workouts")

echo "## buddy export / import, $workouts workouts (counted ones ~$detail_bytes bytes of details)"
printf '| run | ms | rows/s | MB | peak RSS MB |\n| --- | --- | --- | --- | --- |\n'
for entry in "export jsonl:$export_ms:$export_rss:$jsonl_bytes" \
  "export csv:$csv_ms:$csv_rss:$csv_bytes" "import (new database):$import_ms:$import_rss:$jsonl_bytes" \
  "import again (all skipped):$again_ms:$again_rss:$jsonl_bytes"; do
  IFS=: read -r label ms rss bytes <<<"$entry"
  awk -v l="$label" -v ms="$ms" -v n="$workouts" -v rss="$rss" -v b="$bytes" \
    'BEGIN { printf "| %s | %d | %.0f | %.1f | %.1f |\n", l, ms, n / (ms / 1000), b / 1e6, rss / 1024 }'
done
echo
echo "first import: $imported"
echo "second import: $again"
echo "rows in the new database: $rows"
rm -rf "$work"
