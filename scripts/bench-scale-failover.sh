#!/usr/bin/env bash
# Failover as `buddy record` sees it: the lab of scripts/cluster-lab.sh (pg_auto_failover
# monitor, primary, standby) is brought up, migrated and given one user; then RUNS times (default
# 5) the primary is killed with SIGKILL and `buddy record` is run at once, in a loop until one
# run saves into the database (BUDDY_FAILOVER_WAIT_MS=60000, so a run waits for the new primary
# rather than going to the offline outbox; a run that still lands in the outbox counts as failed
# and the loop goes on). Per run it prints the timeline from the kill: buddy's first failed
# attempt to find a primary (its "no server takes writes yet" or "primary lost" line), the
# monitor's promotion (the first `cluster-lab.sh status` that names the other node primary) and
# the first saved `record`; then the medians. The killed node is brought back (`up`) between
# runs. The lab lives in a temporary directory, removed at the end.
# Usage: scripts/bench-scale-failover.sh [RUNS]    (1 to 50; BUDDY_BIN=path skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
runs=${1:-5}
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 && $runs -le 50 ]] || {
  say "usage: scripts/bench-scale-failover.sh [RUNS] (1 to 50)"
  exit 64
}

if [[ -n ${BUDDY_BIN:-} ]]; then
  buddy_bin=$BUDDY_BIN
else
  swift build -c release --product buddy >&2
  buddy_bin="$(swift build -c release --show-bin-path)/buddy"
fi
lab_script=scripts/cluster-lab.sh
work=$(mktemp -d /tmp/buddy-bench-failover.XXXXXX)
chmod 755 "$work"
lab=$work/lab
cleanup() {
  "$lab_script" down "$lab" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
# Seconds from $1 to $2, one decimal.
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# The name of the primary the monitor reports, or nothing.
primary() {
  "$lab_script" status --format json "$lab" 2>/dev/null \
    | sed -n -E 's/.*"primary":"([a-z0-9]+)".*/\1/p'
}

say "bench: bringing the lab up in $lab"
url=$("$lab_script" up "$lab" | tail -n 1)
export PGPASSFILE=$lab/pgpass BUDDY_DATABASE_URL=$url
b() {
  HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data \
    XDG_STATE_HOME=$work/home/state "$buddy_bin" "$@"
}
mkdir -p "$work/home"
b db migrate >/dev/null
printf '%s\n' 'bench-password' | b register --email b@example.com --username bench --password-stdin >/dev/null
printf '%s\n' 'bench-password' | b login --password-stdin bench >/dev/null
b record --exercise push-up --reps 1 --duration 10s >/dev/null 2>&1

failed_list=() promoted_list=() saved_list=()
for run in $(seq 1 "$runs"); do
  before=$(primary)
  [[ -n $before ]] || { say "bench: the monitor names no primary"; exit 1; }
  "$lab_script" kill-primary "$lab" >/dev/null 2>&1
  t0=$(now)
  # The monitor's view, polled in the background until it names another primary.
  (
    while :; do
      current=$(primary)
      if [[ -n $current && $current != "$before" ]]; then now >"$work/promoted"; break; fi
      sleep 0.1
    done
  ) &
  poller=$!
  first_failed="" saved="" attempts=0
  while [[ -z $saved ]]; do
    attempts=$((attempts + 1))
    ((attempts <= 20)) || { say "bench: no record saved after 20 attempts"; exit 1; }
    : >"$work/stderr"
    out=$(BUDDY_FAILOVER_WAIT_MS=60000 b record --format json --exercise push-up \
      --reps $((run + 1)) --duration 30s 2> >(while IFS= read -r line; do
        printf '%s %s\n' "$(now)" "$line"
      done >>"$work/stderr")) || true
    finished=$(now)
    sleep 0.05  # the timestamping reader flushes its last line
    if [[ -z $first_failed ]]; then
      first_failed=$(awk '/no server takes writes yet|primary lost|cannot reach/ { print $1; exit }' \
        "$work/stderr")
    fi
    if [[ $out == '{"status":"saved"'* ]]; then
      saved=$finished
    else
      [[ -n $first_failed ]] || first_failed=$finished
      say "run $run: record run $attempts did not save: ${out:-no output}; $(tail -n 1 "$work/stderr" | cut -d ' ' -f 2-)"
    fi
  done
  wait "$poller"
  promoted=$(<"$work/promoted")
  rm -f "$work/promoted"
  failed_list+=("$( [[ -n $first_failed ]] && since "$t0" "$first_failed" || echo none)")
  promoted_list+=("$(since "$t0" "$promoted")")
  saved_list+=("$(since "$t0" "$saved")")
  printf 'run %d: kill -9 of %s at 0.00 s; first failed attempt +%s s; monitor names %s primary +%s s; first record saved +%s s (%d record run%s)\n' \
    "$run" "$before" "${failed_list[-1]}" "$(primary)" "${promoted_list[-1]}" "${saved_list[-1]}" \
    "$attempts" "$([[ $attempts == 1 ]] || echo s)"
  "$lab_script" up "$lab" >/dev/null 2>&1
done

median() { printf '%s\n' "$@" | grep -v none | sort -n | awk '{ v[NR] = $1 } END {
  if (NR == 0) { print "none"; exit }
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median of $runs: monitor promotion +$(median "${promoted_list[@]}") s," \
  "first saved record +$(median "${saved_list[@]}") s after kill -9 of the primary"
