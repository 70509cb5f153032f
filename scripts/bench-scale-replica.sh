#!/usr/bin/env bash
# Replica lag while buddy writes, on a `scripts/cluster-lab.sh` lab (pg_auto_failover monitor,
# primary, one streaming standby): `buddy db migrate`, one registered and logged-in user, then
#   1. `buddy import` (release build, all cores) of FILES generated sessions (default 2000; 10 s
#      at 15 fps, MediaPipe-33, 150 frames each, every file with its own bytes, as in
#      bench-import.sh) through the lab URL;
#   2. 30 manual `buddy record`s one after another (one client's interactive writes);
#   3. the server alone at full speed: the imported rows copied COPIES times (default 100) by
#      INSERT … SELECT in 20 transactions as the administrator (new digests and days, the same
#      `details`), to see where replication, not counting, is the limit.
# One psql session on the primary samples pg_stat_replication every 100 ms throughout
# (write_lag, flush_lag, replay_lag, and the bytes between pg_current_wal_lsn() and the standby's
# replay_lsn). After phases 1 and 3 the standby itself is polled until it has replayed the
# primary's WAL position at the phase's end: the catch-up time (pg_stat_replication's replay_lsn
# can trail by a status interval once the primary goes idle, so it is not used for that).
#
# Prints, per phase: wall time, files/s and workouts/s, WAL bytes written and per workout, replay
# lag p50/p95/max in ms and in bytes, catch-up time; the workouts table's heap + TOAST + indexes
# per row after each phase. The samples stay in a file (its path is printed). The lab is stopped
# and removed on exit, even after a failure.
#
# The lab runs with fsync off and commits synchronously to its one standby (pg_auto_failover's
# `ANY 1`); full_page_writes, which the lab turns off, is turned on here (PostgreSQL's default)
# and a CHECKPOINT precedes each phase, so the WAL bytes are a production server's right after a
# checkpoint (its worst case). See docs/scaling.md for what the numbers mean.
# Usage: scripts/bench-scale-replica.sh [FILES [COPIES]]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

files=${1:-2000}
copies=${2:-100}
if ! [[ $files =~ ^[0-9]+$ && $copies =~ ^[0-9]+$ ]] || ((files < 1 || files > 100000)) \
  || ((copies < 0 || copies > 1000)); then
  say "usage: scripts/bench-scale-replica.sh [FILES [COPIES]]   (FILES 1 to 100000, default 2000;"
  say "       COPIES 0 to 1000, default 100)"
  exit 64
fi

ensure_packages
swift build -c release --product buddy >&2
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
psql_bin="$(pg_bindir)/psql"
lab=$(mktemp -d /tmp/buddy-bench-replica-lab.XXXXXX)
work=$(mktemp -d /tmp/buddy-bench-replica.XXXXXX)
samples=$(mktemp /tmp/buddy-scale-replica-samples.XXXXXX)
sampler_pid=

finish() {
  local status=$?
  if [[ -n $sampler_pid ]]; then kill -TERM "$sampler_pid" 2>/dev/null || true; fi
  scripts/cluster-lab.sh down "$lab" >/dev/null 2>&1 || say "bench: cluster-lab down $lab failed"
  rm -rf "$lab" "$work"
  # The samples of a run that did not finish explain nothing.
  if ((status != 0)); then rm -f "$samples"; fi
  exit $status
}
trap finish EXIT
trap 'exit 130' INT TERM

say "bench: generating $files sessions"
folder="$work/sessions"
make_import_sessions "$folder" "$files"
input_bytes=$(du -sb "$folder" | cut -f1)

say "bench: starting the cluster lab in $lab"
lab_url=$(scripts/cluster-lab.sh up "$lab" | tail -n 1)
[[ $lab_url == postgresql://* ]] || { say "bench: cluster-lab up printed no URL"; exit 1; }
export PGPASSFILE="$lab/pgpass"
standby_url="${lab_url%\?target_session_attrs=*}?target_session_attrs=standby"
primary() { "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -d "$lab_url" -c "$1"; }
standby() { "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -d "$standby_url" -c "$1"; }
[[ $(standby "SELECT pg_is_in_recovery()") == t ]] || { say "bench: no standby answers"; exit 1; }
primary "ALTER SYSTEM SET full_page_writes = on" >/dev/null
primary "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
[[ $(primary "SHOW full_page_writes") == on ]] || { say "bench: full_page_writes stayed off"; exit 1; }

home="$work/home"
b() { HOME=$home XDG_CONFIG_HOME=$home/config BUDDY_DATABASE_URL=$lab_url "$buddy_bin" "$@"; }
b db migrate >/dev/null
# A random password, handed over on standard input by the shell's builtin printf: never on a
# command line, in the environment or in a file.
password=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$password" | b register --email bench@example.com --username bench --password-stdin >/dev/null
printf '%s\n' "$password" | b login --password-stdin bench >/dev/null
unset password
b profile set weight-kg 70 >/dev/null
synchronous=$(primary "SHOW synchronous_standby_names")
commit_mode=$(primary "SHOW synchronous_commit")

# One session on the primary, one row every 100 ms: epoch seconds, bytes of WAL written so far
# (from 0/0), the standby's state, write/flush/replay lag in ms (empty when NULL: caught up and
# idle) and the bytes between the current WAL position and what the standby has replayed.
cat >"$work/sampler.sql" <<'SQL'
SELECT extract(epoch FROM clock_timestamp()),
  pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'),
  coalesce(r.state, 'none'),
  round(extract(epoch FROM r.write_lag) * 1000, 3),
  round(extract(epoch FROM r.flush_lag) * 1000, 3),
  round(extract(epoch FROM r.replay_lag) * 1000, 3),
  pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)
FROM (SELECT 1) AS one
LEFT JOIN pg_stat_replication AS r ON r.application_name LIKE 'pgautofailover_standby%'
\watch 0.1
SQL
"$psql_bin" -X -qAt -F $'\t' -d "$lab_url" -f "$work/sampler.sql" >"$samples" 2>"$work/sampler.err" &
sampler_pid=$!
sleep 1
kill -0 "$sampler_pid" 2>/dev/null || { say "bench: the sampler stopped: $(cat "$work/sampler.err")"; exit 1; }

# Seconds since the epoch, as the sampler's clock_timestamp() gives them.
now() { date +%s.%N; }

# Polls the standby until it has replayed WAL position $1; prints the time then.
caught_up_at() {
  while [[ $(standby "SELECT pg_last_wal_replay_lsn() >= '$1'::pg_lsn") != t ]]; do
    sleep 0.02
  done
  now
}

# "rows heap toast indexes details" of the workouts table now.
table_size() {
  "$psql_bin" -X -qAt -F ' ' -d "$lab_url" -c "SELECT
    (SELECT count(*) FROM workouts),
    pg_relation_size('workouts'),
    coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0),
    pg_indexes_size('workouts'),
    (SELECT coalesce(avg(pg_column_size(details)), 0)::bigint FROM workouts)
  FROM pg_class AS c WHERE c.oid = 'workouts'::regclass"
}

# Phase 1: buddy import.
primary CHECKPOINT >/dev/null
wal0=$(primary "SELECT pg_current_wal_lsn()")
say "bench: buddy import of $files files ($((input_bytes / 1000000)) MB) on $(nproc) cores"
import_start=$(now)
b import "$folder" >"$work/import.out"
import_end=$(now)
wal1=$(primary "SELECT pg_current_wal_lsn()")
import_caught_up=$(caught_up_at "$wal1")
say "bench: $(cat "$work/import.out")"
import_wal=$(primary "SELECT pg_wal_lsn_diff('$wal1', '$wal0')")
import_size=$(table_size)
imported=${import_size%% *}
((imported > 0)) || { say "bench: the import stored no workouts"; exit 1; }

# Phase 2: one client's interactive writes: 30 manual `buddy record`s one after another (process
# start, session check, one committed row that waits for the synchronous standby).
say "bench: 30 single records"
record_ms=()
for reps in $(seq 1 30); do
  r0=$(date +%s%N)
  b record --exercise push-up --reps "$reps" --duration 30s >/dev/null
  r1=$(date +%s%N)
  record_ms+=($(((r1 - r0) / 1000000)))
done

# Phase 3: the server alone, as fast as it writes: COPIES copies of the imported rows, 20
# transactions (each a share of the copies), new digests and days, the same details.
firehose_start=0 firehose_end=0 firehose_caught_up=0 firehose_wal=0 firehose_rows=0
firehose_size="0 0 0 0 0"
if ((copies > 0)); then
  primary CHECKPOINT >/dev/null
  say "bench: the server alone: $((imported * copies)) rows by INSERT … SELECT in 20 transactions"
  # The source is a temporary table (no WAL) of the imported rows, taken once: copying from
  # workouts itself would copy the copies too.
  {
    echo "CREATE TEMPORARY TABLE imported AS SELECT * FROM workouts WHERE source_digest IS NOT NULL;"
    for part in $(seq 0 19); do
      echo "INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds,
          calories_burned, created_at, details, source_digest)
        SELECT w.user_id, w.exercise_type, w.reps_count, w.duration_seconds, w.calories_burned,
          w.created_at - g * interval '1 day', w.details, sha256(w.source_digest || int4send(g))
        FROM imported AS w, generate_series(1, $copies) AS g
        WHERE g % 20 = $part;"
    done
  } >"$work/firehose.sql"
  wal2=$(primary "SELECT pg_current_wal_lsn()")
  firehose_start=$(now)
  "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$lab_url" -f "$work/firehose.sql" >/dev/null
  firehose_end=$(now)
  wal3=$(primary "SELECT pg_current_wal_lsn()")
  firehose_caught_up=$(caught_up_at "$wal3")
  firehose_wal=$(primary "SELECT pg_wal_lsn_diff('$wal3', '$wal2')")
  firehose_size=$(table_size)
  firehose_rows=$((${firehose_size%% *} - ${import_size%% *} - 30))
fi
sleep 1
kill -INT "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=

python3 - "$samples" "$files" "$input_bytes" "$(nproc)" "$synchronous" "$commit_mode" \
  "$import_start $import_end $import_caught_up $import_wal $imported" "$import_size" \
  "$firehose_start $firehose_end $firehose_caught_up $firehose_wal $firehose_rows" \
  "$firehose_size" "${record_ms[*]}" <<'PY'
import sys

(path, files, input_bytes, cores, synchronous, commit_mode, import_phase, import_size,
 firehose_phase, firehose_size, record_ms) = sys.argv[1:]
files, input_bytes = int(files), int(input_bytes)

samples = []
for line in open(path):
    fields = line.rstrip("\n").split("\t")
    if len(fields) != 7:
        continue  # the blank line \watch prints between results
    try:
        samples.append((float(fields[0]), fields))
    except ValueError:
        continue


def number(text):
    return float(text) if text != "" else 0.0  # NULL: caught up, no WAL in flight


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def phase(text):
    start, end, caught_up, wal, rows = text.split()
    return float(start), float(end), float(caught_up), int(wal), int(rows)


def lag_rows(start, end):
    during = [f for when, f in samples if start <= when <= end]
    streaming = [f for f in during if f[2] == "streaming"]
    out = []
    for name, index in (("write_lag (ms)", 3), ("flush_lag (ms)", 4), ("replay_lag (ms)", 5)):
        values = [number(f[index]) for f in streaming] or [0.0]
        out.append(f"| {name} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} "
                   f"| {max(values):.1f} |")
    values = [number(f[6]) for f in streaming] or [0.0]
    out.append(f"| replay behind (bytes) | {percentile(values, 50):,.0f} "
               f"| {percentile(values, 95):,.0f} | {max(values):,.0f} |")
    return len(during), len(streaming), out


def size_row(label, text):
    rows, heap, toast, indexes, details = map(int, text.split())
    total = heap + toast + indexes
    return (f"| {label} | {rows:,} | {total / rows:,.0f} | {heap / rows:,.0f} | "
            f"{toast / rows:,.0f} | {indexes / rows:,.0f} | {details:,} | {total / 1e6:,.1f} MB |")


print(f"## Replica lag, cluster lab (primary + 1 standby, {cores} cores)")
print()
print(f"synchronous_standby_names = {synchronous!r}, synchronous_commit = {commit_mode}, "
      "full_page_writes = on (CHECKPOINT before each phase), fsync = off; pg_stat_replication "
      "sampled every 100 ms on the primary")
print()
print("| phase | wall time | files/s | workouts/s | WAL | WAL per workout | catch-up after |")
print("| --- | --- | --- | --- | --- | --- | --- |")
phases = [("import", phase(import_phase))]
start, end, caught_up, wal, rows = phases[0][1]
seconds = end - start
print(f"| `buddy import` of {files} files ({input_bytes / 1e6:.0f} MB) | {seconds:.2f} s "
      f"| {files / seconds:.0f} | {rows / seconds:.0f} | {wal / 1e6:.1f} MB ({wal / seconds / 1e6:.2f} MB/s) "
      f"| {wal / rows:,.0f} B | {(caught_up - end) * 1000:.0f} ms |")
firehose = phase(firehose_phase)
if firehose[4] > 0:
    phases.append(("server alone", firehose))
    start, end, caught_up, wal, rows = firehose
    seconds = end - start
    print(f"| server alone: {rows:,} rows by INSERT … SELECT, 20 transactions | {seconds:.2f} s "
          f"| — | {rows / seconds:,.0f} | {wal / 1e6:.1f} MB ({wal / seconds / 1e6:.2f} MB/s) "
          f"| {wal / rows:,.0f} B | {(caught_up - end) * 1000:.0f} ms |")
print()
for name, (start, end, _, _, _) in phases:
    count, streaming, rows_out = lag_rows(start, end)
    print(f"| lag during {name} ({count} samples, {streaming} streaming) | p50 | p95 | max |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows_out))
    print()
times = sorted(int(t) for t in record_ms.split())
print(f"One `buddy record` (manual entry; process start, session check, one commit waiting for "
      f"the standby), {len(times)} in a row: p50 {percentile(times, 50)} ms, "
      f"p95 {percentile(times, 95)} ms, max {times[-1]} ms")
print()
print("| workouts table after | rows | bytes per row | heap | TOAST | indexes | details (avg) | total |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
print(size_row("the import", import_size))
if firehose[4] > 0:
    print(size_row("the server-alone phase", firehose_size))
PY
say "bench: samples (epoch, WAL bytes, state, write/flush/replay lag ms, replay bytes behind): $samples"
