#!/usr/bin/env bash
# Command wall times and the stats queries at scale, on a throwaway cluster:
#   1,000 users and 1,000,000 workouts loaded with COPY, then
#   EXPLAIN (ANALYZE, BUFFERS) of every stats query for one user (1,000 workouts), and
#   the median of 20 runs of `buddy --version`, `whoami`, `history` and `stats` (release build).
# Usage: scripts/bench-cli.sh [WORKOUTS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
rows=${1:-1000000}

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
admin=$cluster_admin_url
"$psql_bin" -q "$admin" -c "CREATE DATABASE bench"
url="postgresql:///bench?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
home=$(mktemp -d /tmp/buddy-bench-home.XXXXXX)
buddy() { HOME=$home XDG_CONFIG_HOME=$home/config BUDDY_DATABASE_URL=$url "$buddy_bin" "$@"; }

buddy db migrate >&2
printf '%s\n' 'bench-password' | buddy register --email bench@example.com --username bench --password-stdin >&2
printf '%s\n' 'bench-password' | buddy login --password-stdin bench >&2

say "seeding $rows workouts over 1000 users with COPY"
start=$(date +%s%N)
"$psql_bin" -q "$url" -c "INSERT INTO users (email, username, hashed_password)
  SELECT 'u' || g || '@example.com', 'user' || g, 'x' FROM generate_series(1, 999) g"
"$psql_bin" -qAt "$url" -c "COPY (
    SELECT u.id, CASE WHEN g % 3 = 0 THEN 'jump-rope' ELSE 'push-up' END, 5 + g % 40, 30 + g % 300,
      (g % 50) / 3.0, now() - (g * interval '17 minutes') - (random() * interval '1 hour')
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users) u,
      generate_series(1, $rows / 1000) g
  ) TO STDOUT" |
  "$psql_bin" -q "$url" -c "COPY workouts (user_id, exercise_type, reps_count, duration_seconds,
    calories_burned, created_at) FROM STDIN"
"$psql_bin" -q "$url" -c "VACUUM ANALYZE workouts"
say "seeded in $(( ($(date +%s%N) - start) / 1000000 )) ms: $("$psql_bin" -qAt "$url" -c 'SELECT count(*) FROM workouts') rows"

echo "## EXPLAIN (ANALYZE, BUFFERS) of the stats queries (user with $((rows / 1000)) workouts)"
buddy stats --explain

median_ms() {
  local times=() t0 t1
  for _ in $(seq 1 21); do
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  # Drop the first (cold) run, take the median of 20.
  printf '%s\n' "${times[@]:1}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (a[10]+a[11])/2000}'
}
echo
echo "## wall time, median of 20 (ms)"
printf '%-28s %8s\n' "command" "ms"
printf '%-28s %8s\n' "buddy --version" "$(median_ms buddy --version)"
printf '%-28s %8s\n' "buddy whoami" "$(median_ms buddy whoami)"
printf '%-28s %8s\n' "buddy history" "$(median_ms buddy history)"
printf '%-28s %8s\n' "buddy history --format csv" "$(median_ms buddy history --format csv --limit 1000)"
printf '%-28s %8s\n' "buddy stats" "$(median_ms buddy stats)"
printf '%-28s %8s\n' "buddy stats --format json" "$(median_ms buddy stats --format json)"
rm -rf "$home"
