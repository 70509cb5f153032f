#!/usr/bin/env bash
# Monthly partitions of workouts at scale, partitioned (schema 8) against unpartitioned (schema
# 7), on a throwaway cluster with row-level security in force. For each side: `buddy server init`
# (client role), the bench user registers and logs in through the client URL, then as the
# administrator USERS users (default 100,000, the bench user among them) and WORKOUTS workouts
# (default 10,000,000; the bench user exactly 1,000) spread over the last three years are
# loaded with COPY (one CSV made once, the same rows on both sides), VACUUM ANALYZE; then, as
# the client role with the bench user's token: EXPLAIN (ANALYZE, BUFFERS) of every stats query
# (`buddy stats --explain`) and p50/p95 of RUNS (default 30) end-to-end runs of `buddy history`
# and `buddy stats`.
#
# The unpartitioned side is migrated with `buddy db migrate --to 7` and queried by a buddy whose
# newest schema is 7 (buddy refuses a database behind its own schema): BUDDY_BASELINE_BIN, else
# one built from the commit before SchemaV8 (BUDDY_BASELINE_REV). BUDDY_BIN overrides the
# partitioned side's buddy (default: release build of this tree).
# Usage: scripts/bench-scale-partitions.sh [WORKOUTS] [USERS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
workouts=${1:-10000000}
users=${2:-100000}
runs=${3:-30}
bench_rows=1000
if (( users < 2 || workouts < bench_rows + users - 1 || runs < 2 )); then
  say "need USERS >= 2, WORKOUTS >= 1000 + USERS - 1 and RUNS >= 2"
  exit 64
fi

ensure_packages
if [[ -z ${BUDDY_BIN:-} ]]; then
  swift build -c release --product buddy >&2
  BUDDY_BIN="$(swift build -c release --show-bin-path)/buddy"
fi
work=$(mktemp -d /tmp/buddy-bench-partitions.XXXXXX)
if [[ -z ${BUDDY_BASELINE_BIN:-} ]]; then
  rev=${BUDDY_BASELINE_REV:-$(git log --diff-filter=A --format=%H -1 -- \
    Sources/WorkoutStore/Migrations/SchemaV8.swift)^}
  say "building the schema-7 buddy from $rev"
  mkdir -p "$work/baseline"
  git archive "$rev" | tar -x -C "$work/baseline"
  (cd "$work/baseline" && swift build -c release --product buddy >&2)
  BUDDY_BASELINE_BIN="$(cd "$work/baseline" && swift build -c release --show-bin-path)/buddy"
fi
trap 'rm -rf "$work"; stop_throwaway_cluster' EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
csv="$work/workouts.csv"

# One CSV for both sides: the bench user's 1,000 workouts (user number 0) and the rest spread
# evenly over the other users, at pseudo-random instants of the last three years; every other
# workout has a source digest.
make_csv() {
  local others=$((workouts - bench_rows))
  "$psql_bin" -qAt "$cluster_admin_url" -c "COPY (
    SELECT CASE WHEN g <= $bench_rows THEN 0 ELSE 1 + (g - $bench_rows) % ($users - 1) END,
      CASE WHEN g % 3 = 0 THEN 'jump-rope' WHEN g % 3 = 1 THEN 'push-up' ELSE 'squat' END,
      5 + g % 40, 30 + g % 300, (g % 50) / 3.0,
      now() - interval '3 years' * ((hashint8(g) & 2147483647) / 2147483648.0),
      CASE WHEN g % 2 = 0 THEN encode(sha256(int8send(g)), 'hex') END
    FROM generate_series(1, $((others + bench_rows))) g
  ) TO STDOUT WITH (FORMAT csv)" >"$csv"
}

# Sets up database $1 at schema $2 (7 or 8) with buddy $3, loads the CSV and prints the report.
side() {
  local db=$1 schema=$2 bin=$3 label=$4
  local home="$work/home-$db"
  mkdir -p "$home"
  "$psql_bin" -q "$cluster_admin_url" -c "CREATE DATABASE $db"
  local admin_url="postgresql:///$db?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
  run_buddy() { HOME=$home XDG_CONFIG_HOME=$home/config "$bin" "$@"; }
  if [[ $schema == 7 ]]; then
    HOME=$home XDG_CONFIG_HOME=$home/config "$BUDDY_BIN" db migrate --to 7 \
      --database-url "$admin_url" >&2
  fi
  local init_report url
  init_report=$(run_buddy server init --database-url "$admin_url" --client-role buddy_client)
  url=$(sed -n 's/^hand this URL to your users: //p' <<<"$init_report")
  [[ -n $url ]] || { say "buddy server init printed no client URL"; exit 1; }
  buddy() { BUDDY_DATABASE_URL=$url run_buddy "$@"; }
  printf '%s\n' 'bench-password' | buddy register --email bench@example.com --username bench \
    --password-stdin >/dev/null
  printf '%s\n' 'bench-password' | buddy login --password-stdin bench >/dev/null
  local version
  version=$("$psql_bin" -qAt "$admin_url" -c "SELECT max(version) FROM schema_migrations")
  [[ $version == "$schema" ]] || { say "$db is at schema $version, not $schema"; exit 1; }

  local start load_ms
  start=$(date +%s%N)
  "$psql_bin" -q "$admin_url" <<SQL
INSERT INTO users (email, username, hashed_password)
SELECT 'u' || g || '@example.com', 'user' || g, 'x' FROM generate_series(1, $((users - 1))) g;
CREATE TEMP TABLE numbered AS
  SELECT id, CASE WHEN username = 'bench' THEN 0 ELSE substr(username, 5)::int END AS n
  FROM users;
CREATE UNIQUE INDEX ON numbered (n);
CREATE TEMP TABLE load (n int, exercise_type text, reps_count int, duration_seconds int,
  calories_burned float8, created_at timestamptz, source_digest text);
\\copy load FROM '$csv' WITH (FORMAT csv)
\\copy (SELECT u.id, l.exercise_type, l.reps_count, l.duration_seconds, l.calories_burned, l.created_at, decode(l.source_digest, 'hex') FROM load l JOIN numbered u USING (n)) TO '$work/$db.copy'
SQL
  # Three years of data means three years of monthly partitions on the partitioned side (as
  # `buddy db migrate` would have made them month by month).
  if [[ $schema == 8 ]]; then
    "$psql_bin" -q "$admin_url" -c "SET ROLE buddy_owner" -c "SELECT count(public.buddy_workout_partition(m::date)) FROM generate_series(date_trunc('month', now() - interval '3 years 1 month'), now(), interval '1 month') m" >/dev/null
  fi
  # The load proper: COPY into workouts. A bulk load by the administrator on the partitioned
  # side fills the ledger in one statement instead of row by row through its trigger (which
  # costs about three times the COPY): trigger off, COPY, INSERT … SELECT into workout_keys
  # (which would fail on a duplicate id or digest, so the ledger stays exact), trigger on, all
  # in one transaction.
  local copy="\\copy workouts (user_id, exercise_type, reps_count, duration_seconds, calories_burned, created_at, source_digest) FROM '$work/$db.copy'"
  start=$(date +%s%N)
  if [[ $schema == 8 ]]; then
    "$psql_bin" -q -1 -v ON_ERROR_STOP=1 "$admin_url" \
      -c "ALTER TABLE workouts DISABLE TRIGGER workouts_keys_insert" -c "$copy" \
      -c "INSERT INTO workout_keys (id, user_id, created_at, source_digest) SELECT id, user_id, created_at, source_digest FROM workouts" \
      -c "ALTER TABLE workouts ENABLE TRIGGER workouts_keys_insert"
  else
    "$psql_bin" -q -v ON_ERROR_STOP=1 "$admin_url" -c "$copy"
  fi
  load_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rm -f "$work/$db.copy"
  if [[ $schema == 8 ]]; then
    HOME=$home XDG_CONFIG_HOME=$home/config "$BUDDY_BIN" db migrate --database-url "$admin_url" >&2
    local stray
    stray=$("$psql_bin" -qAt "$admin_url" -c "SELECT count(*) FROM workouts_default")
    [[ $stray -eq 0 ]] || { say "$stray workouts left in the DEFAULT partition"; exit 1; }
  fi
  "$psql_bin" -q "$admin_url" -c "VACUUM ANALYZE"
  local total bench_count partitions size
  total=$("$psql_bin" -qAt "$admin_url" -c "SELECT count(*) FROM workouts")
  bench_count=$("$psql_bin" -qAt "$admin_url" -c \
    "SELECT count(*) FROM workouts w JOIN users u ON u.id = w.user_id WHERE u.username = 'bench'")
  partitions=$("$psql_bin" -qAt "$admin_url" -c \
    "SELECT count(*) FROM pg_inherits WHERE inhparent = 'workouts'::regclass")
  size=$("$psql_bin" -qAt "$admin_url" -c "SELECT pg_size_pretty(pg_database_size('$db'))")
  if [[ $bench_count -ne $bench_rows ]]; then
    say "the bench user has $bench_count workouts, not $bench_rows"
    exit 1
  fi

  echo "## $label: schema $schema, $total workouts, $users users, $partitions partitions, $size"
  echo "load: COPY of $total rows into workouts with its indexes (and the ledger when partitioned): $load_ms ms"
  echo
  echo "### EXPLAIN (ANALYZE, BUFFERS) of the stats queries (bench user, client role)"
  buddy stats --explain
  echo
  echo "### end to end, $runs runs each (ms)"
  printf '| command | p50 | p95 |\n| --- | --- | --- |\n'
  for command in "history" "stats"; do
    local times=() t0 t1
    buddy $command >/dev/null  # warm-up, not counted
    for _ in $(seq 1 "$runs"); do
      t0=$(date +%s%N)
      buddy $command >/dev/null
      t1=$(date +%s%N)
      times+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v c="buddy $command" '{a[NR]=$1}
      END { p50 = a[int((NR + 1) / 2)]; i95 = int(NR * 0.95 + 0.999); if (i95 > NR) i95 = NR;
        printf "| %s | %.1f | %.1f |\n", c, p50 / 1000, a[i95] / 1000 }'
  done
  echo
  "$psql_bin" -q "$cluster_admin_url" -c "DROP DATABASE $db"
}

say "making $workouts workouts for $users users"
make_csv
side bench_partitioned 8 "$BUDDY_BIN" "partitioned"
side bench_unpartitioned 7 "$BUDDY_BASELINE_BIN" "unpartitioned"
