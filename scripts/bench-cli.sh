#!/usr/bin/env bash
# Command wall times and the stats and history queries at scale, on a throwaway cluster, with
# row-level security in force:
#   `buddy server init` (administrator) makes the client role; the bench user registers and
#   logs in through the client URL it prints; then, as the administrator, 1,000 users (the
#   bench user and 999 more) and 1,000,000 workouts are loaded with COPY; then, as the client
#   role with the bench user's session token,
#   EXPLAIN (ANALYZE, BUFFERS) of every stats query and of the history page (1,000 workouts), and
#   the median of 20 runs of `buddy --version`, `login`, `whoami`, `history` and `stats`
#   (release build).
# Usage: scripts/bench-cli.sh [WORKOUTS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
rows=${1:-1000000}
per_user=$((rows / 1000))

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
"$psql_bin" -q "$cluster_admin_url" -c "CREATE DATABASE bench"
admin_url="postgresql:///bench?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
home=$(mktemp -d /tmp/buddy-bench-home.XXXXXX)
run_buddy() { HOME=$home XDG_CONFIG_HOME=$home/config "$buddy_bin" "$@"; }

# Roles, schema and grants as the administrator; every user command below goes through the
# client URL (Unix socket, trust authentication: no password).
init_report=$(run_buddy server init --database-url "$admin_url" --client-role buddy_client)
say "$init_report"
url=$(sed -n 's/^hand this URL to your users: //p' <<<"$init_report")
[[ -n $url ]] || { say "buddy server init printed no client URL"; exit 1; }
buddy() { BUDDY_DATABASE_URL=$url run_buddy "$@"; }

printf '%s\n' 'bench-password' | buddy register --email bench@example.com --username bench --password-stdin >&2
printf '%s\n' 'bench-password' | buddy login --password-stdin bench >&2

say "seeding $rows workouts over 1000 users with COPY (as the administrator)"
start=$(date +%s%N)
"$psql_bin" -q "$admin_url" -c "INSERT INTO users (email, username, hashed_password)
  SELECT 'u' || g || '@example.com', 'user' || g, 'x' FROM generate_series(1, 999) g"
"$psql_bin" -qAt "$admin_url" -c "COPY (
    SELECT u.id, CASE WHEN g % 3 = 0 THEN 'jump-rope' ELSE 'push-up' END, 5 + g % 40, 30 + g % 300,
      (g % 50) / 3.0, now() - (g * interval '17 minutes') - (random() * interval '1 hour')
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users) u,
      generate_series(1, $per_user) g
  ) TO STDOUT" |
  "$psql_bin" -q "$admin_url" -c "COPY workouts (user_id, exercise_type, reps_count, duration_seconds,
    calories_burned, created_at) FROM STDIN"
"$psql_bin" -q "$admin_url" -c "VACUUM ANALYZE workouts"
say "seeded in $(( ($(date +%s%N) - start) / 1000000 )) ms: $("$psql_bin" -qAt "$admin_url" -c 'SELECT count(*) FROM workouts') rows"

# The bench user's id and token; the seeding must have given it its share of the workouts, and
# the client role with its token must see exactly those (row-level security).
bench_id=$("$psql_bin" -qAt "$admin_url" -c "SELECT id FROM users WHERE username = 'bench'")
bench_rows=$("$psql_bin" -qAt "$admin_url" -c "SELECT count(*) FROM workouts WHERE user_id = '$bench_id'")
token=$(tr -d '[:space:]' <"$home/config/exercise-buddy/session")
# psql as the client role with the bench user's token set (the token goes through stdin, never
# the command line, and is not echoed).
as_client() {
  "$psql_bin" -qAt "$url" <<SQL
\\o /dev/null
SELECT set_config('buddy.session_token', '$token', false);
\\o
$1
SQL
}
client_rows=$(as_client "SELECT count(*) FROM workouts")
tokenless_rows=$("$psql_bin" -qAt "$url" -c "SELECT count(*) FROM workouts")
say "bench user $bench_id: $bench_rows workouts; the client role sees $client_rows with its token, $tokenless_rows without"
if [[ $bench_rows -ne $per_user || $client_rows -ne $per_user || $tokenless_rows -ne 0 ]]; then
  say "expected $per_user workouts for the bench user, all visible to the client with the token and none without"
  exit 1
fi

echo "## EXPLAIN (ANALYZE, BUFFERS) of the stats queries (user with $per_user workouts, as the client role)"
buddy stats --explain
echo "## EXPLAIN (ANALYZE, BUFFERS) of history (default page of 20, as the client role with the token set)"
as_client "EXPLAIN (ANALYZE, BUFFERS) SELECT id, exercise_type, reps_count, duration_seconds, calories_burned, created_at, details FROM workouts WHERE user_id = '$bench_id' ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0"

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
# Each successful login opens a new session (and replaces the saved token); throttling counts
# failures only.
login() { printf '%s\n' 'bench-password' | buddy login --password-stdin bench; }
echo
echo "## wall time, median of 20 (ms)"
printf '%-28s %8s\n' "command" "ms"
printf '%-28s %8s\n' "buddy --version" "$(median_ms buddy --version)"
printf '%-28s %8s\n' "buddy login" "$(median_ms login)"
printf '%-28s %8s\n' "buddy whoami" "$(median_ms buddy whoami)"
printf '%-28s %8s\n' "buddy history" "$(median_ms buddy history)"
printf '%-28s %8s\n' "buddy history --format csv" "$(median_ms buddy history --format csv --limit 1000)"
printf '%-28s %8s\n' "buddy stats" "$(median_ms buddy stats)"
printf '%-28s %8s\n' "buddy stats --format json" "$(median_ms buddy stats --format json)"
rm -rf "$home"
