#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL cluster that it creates, starts and always stops.
# Usage: scripts/test.sh [extra `swift test` arguments, e.g. --filter PostgresTests]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
# Each step says how many seconds the run has taken so far, so slow steps show in the CI log.
step() { say "[${SECONDS} s] $*"; }

# Say what this run installs or creates outside the repository before doing any of it.
golden_venv="${BUDDY_GOLDEN_VENV:-$HOME/.cache/exercise-buddy/golden-venv}"
[[ -e /usr/bin/ffmpeg ]] ||
  say "ffmpeg is missing: installing it with apt-get (the tests of counting from video files need it)"
[[ -x $golden_venv/bin/python ]] ||
  say "making a Python virtualenv in $golden_venv (about 130 MB: tflite-runtime, numpy, pillow)" \
    "for the pose golden vectors (scripts/make-golden.sh; remove it with rm -rf when done)"
# ffmpeg only for the tests of counting straight from video files.
ensure_packages "ffmpeg:/usr/bin/ffmpeg"
bindir=$(pg_bindir)
# pg_partman makes the monthly partitions of workouts ahead when the server has it (schema v8);
# WorkoutPartitionTests cover both that path and buddy's own (a database without the extension).
pg_major=$(basename "$(dirname "$bindir")")
if ! (BUDDY_PACKAGES=() && ensure_packages \
  "postgresql-$pg_major-partman:/usr/share/postgresql/$pg_major/extension/pg_partman.control"); then
  say "pg_partman is missing: the tests run buddy's own partition maintenance only"
fi
# pg_auto_failover for the replicated-setup tests (scripts/cluster-lab.sh, about a minute, run
# after the others on a quiet machine); without it (not root and not installed) they are skipped.
pg_lib=$(dirname "$bindir")/lib
cluster_lab=0
if (BUDDY_PACKAGES=() && ensure_packages "pg-auto-failover-cli:/usr/bin/pg_autoctl" \
  "postgresql-$(basename "$(dirname "$bindir")")-auto-failover:$pg_lib/pgautofailover.so"); then
  cluster_lab=1
else
  say "skipping the cluster lab tests (need pg_auto_failover)"
fi
unset BUDDY_TEST_CLUSTER_LAB

trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
work=$cluster_dir
port=$cluster_port
say "test cluster: $work (port $port)"

export BUDDY_TEST_DATABASE_URL=$cluster_admin_url
export BUDDY_TEST_TCP_PORT=$port
export BUDDY_TEST_SERVER_LOG="$work/postgres.log"
export BUDDY_PG_BINDIR=$bindir

step "pose models and golden vectors"
scripts/fetch-pose-models.sh
scripts/make-golden.sh

step "building"
swift build --build-tests
export BUDDY_BIN
BUDDY_BIN="$(swift build --show-bin-path)/buddy"

step "testing"
swift test --skip-build "$@"

# The fuzz smoke (every Fuzz/ target for a few seconds, from its seeds and the fixed crashes;
# a finding fails) is CPU work, while the replicated setup mostly waits for its servers: the
# smoke runs in the background at the lowest priority beside it, its output kept until the end
# of the cluster-lab step. Killed with the script if it stops early.
fuzz_pid=
fuzz_log=.build/fuzz/smoke.log
# setsid: the smoke is a process group of its own (builds, harnesses), stopped as one; --wait
# keeps its exit status should setsid have to fork.
stop_fuzz_smoke() {
  if [[ -n $fuzz_pid ]]; then kill -- "-$fuzz_pid" 2>/dev/null || true; fi
  fuzz_pid=
}
trap 'status=$?; stop_fuzz_smoke; (exit $status); stop_throwaway_cluster' EXIT INT TERM
step "fuzz smoke started in the background (scripts/fuzz.sh all ${BUDDY_FUZZ_SMOKE_SECONDS:-6}, nice 19)"
mkdir -p .build/fuzz
rm -rf .build/fuzz/smoke-corpus
FUZZ_CORPUS=.build/fuzz/smoke-corpus setsid --wait nice -n 19 \
  scripts/fuzz.sh all "${BUDDY_FUZZ_SMOKE_SECONDS:-6}" >"$fuzz_log" 2>&1 &
fuzz_pid=$!

# The replicated setup starts three PostgreSQL servers and times a failover: one suite at a
# time, after the parallel run, so its timing does not compete with 500 other tests (only with
# the fuzz smoke at nice 19).
if [[ $# -eq 0 && $cluster_lab == 1 ]]; then
  step "cluster-lab step: replicated setup (scripts/cluster-lab.sh: failover, reads from the standby, writes across a failover)"
  BUDDY_TEST_CLUSTER_LAB=1 swift test --skip-build --no-parallel \
    --filter 'ClusterLabTests|ReadReplicaTests|FailoverTests'
fi

step "fuzz smoke: waiting for it to end"
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
fuzz_pid=
cat "$fuzz_log"
if [[ $fuzz_status != 0 ]]; then
  say "the fuzz smoke failed (exit $fuzz_status): see above and .build/fuzz/logs"
  exit 1
fi

step "real-data accuracy (push-ups; skips when ../shared/realdata is absent)"
scripts/eval-realdata.sh "$BUDDY_BIN"
step "pose eval (buddy pose vs the stored MediaPipe landmarks)"
scripts/eval-realdata.sh --pose "$BUDDY_BIN"
step "counting straight from the JPEG frames"
scripts/eval-realdata.sh --from-frames "$BUDDY_BIN"
step "counting phone-like videos: crf 32, 360 px, rotation tag, on one push-up and one jump-rope" \
  "clip (skips without ../shared/realdata or ffmpeg; videos and pose cached in .build/variants;" \
  "crf 32 also counted straight from the video, which must equal the cached frames' counts)"
scripts/eval-realdata.sh --variants --cases pushup-pushfit-c68,jumprope-alt04 \
  --only crf32,360p,rot90 --direct-check crf32 "$BUDDY_BIN"

step "lint"
swift format lint --strict --recursive Package.swift Sources Tests
step "all tests and lint passed"
