#!/usr/bin/env bash
# `buddy import` throughput on a throwaway cluster: FILES generated sessions (default 2000;
# 10 s at 15 fps, MediaPipe-33, 150 frames each, every file with its own bytes), imported with
# --jobs 1 and with all cores into a fresh database each time, next to counting alone over the
# same files (`buddy import --dry-run` minus its database lookups is not separable, so counting
# alone is `buddy count` over the files on one core, and `--jobs N` scales it), so the storage
# overhead shows. Release build.
# Usage: scripts/bench-import.sh [FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
files=${1:-2000}

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
work=$(mktemp -d /tmp/buddy-bench-import.XXXXXX)
folder="$work/sessions"

make_import_sessions "$folder" "$files"
bytes=$(du -sb "$folder" | cut -f1)
say "generated $files files, $((bytes / 1000000)) MB"

run_import() {
  local jobs=$1 db="bench_$1_$RANDOM"
  "$psql_bin" -q "$cluster_admin_url" -c "CREATE DATABASE $db"
  local url="postgresql:///$db?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
  local home="$work/home-$db"
  b() { HOME=$home XDG_CONFIG_HOME=$home/config BUDDY_DATABASE_URL=$url "$buddy_bin" "$@"; }
  b db migrate >/dev/null
  printf '%s\n' 'bench-password' | b register --email b@example.com --username bench --password-stdin >/dev/null
  printf '%s\n' 'bench-password' | b login --password-stdin bench >/dev/null
  local t0 t1
  t0=$(date +%s%N)
  b import --jobs "$jobs" "$folder" >"$work/import-$jobs.out"
  t1=$(date +%s%N)
  local rows
  rows=$("$psql_bin" -qAt "$url" -c "SELECT count(*) FROM workouts")
  echo "$(( (t1 - t0) / 1000000 )) $rows"
}

count_alone() {
  local t0 t1
  t0=$(date +%s%N)
  "$buddy_bin" count --exercise auto "$folder" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

cores=$(nproc)
read -r ms1 rows1 < <(run_import 1)
read -r msn rowsn < <(run_import "$cores")
count_ms=$(count_alone)

echo "## buddy import, $files files ($((bytes / 1000000)) MB), $cores cores"
printf '| run | ms | files/s | rows/s | MB/s |\n| --- | --- | --- | --- | --- |\n'
for entry in "import --jobs 1:$ms1:$rows1" "import --jobs $cores:$msn:$rowsn" "count alone (1 core):$count_ms:$files"; do
  IFS=: read -r label ms rows <<<"$entry"
  awk -v l="$label" -v ms="$ms" -v n="$files" -v r="$rows" -v b="$bytes" \
    'BEGIN { s = ms / 1000; printf "| %s | %d | %.0f | %.0f | %.1f |\n", l, ms, n / s, r / s, b / 1e6 / s }'
done
awk -v one="$ms1" -v count="$count_ms" \
  'BEGIN { printf "\nstorage share with --jobs 1: %.1f%% of the import time (import %d ms, counting alone %d ms)\n", (one - count) * 100 / one, one, count }'
rm -rf "$work"
