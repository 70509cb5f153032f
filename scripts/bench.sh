#!/usr/bin/env bash
# Benchmarks, built in release.
#   scripts/bench.sh count [BUDDY_BINARY]          `buddy count` MB/s, frames/s and peak RSS
#                                                   on a 10-minute session, against a Python
#                                                   peer (see scripts/bench-count.sh)
#   scripts/bench.sh cli [WORKOUTS]                wall times of --version, login, whoami, history,
#                                                   stats (median of 20) and EXPLAIN ANALYZE of
#                                                   the stats and history queries at 1 M rows,
#                                                   as the client role under row-level security
#                                                   (bench-cli.sh)
#   scripts/bench.sh import [FILES]                `buddy import` files/s and rows/s, --jobs 1
#                                                   and all cores, against counting alone
#   scripts/bench.sh backup [WORKOUTS]             `buddy db backup` / `db restore` seconds and
#                                                   the dump size with 100,000 workouts in a
#                                                   private cluster (bench-backup.sh)
#   scripts/bench.sh export [WORKOUTS]             `buddy export` (jsonl, csv) and `buddy import`
#                                                   of its file: rows/s, size, peak RSS
#                                                   (bench-export.sh)
#   scripts/bench.sh pose                          `buddy pose` / `buddy count` frames/s on the
#                                                   dev frames and a 640x360 sequence, 1 and
#                                                   2 cores, vs mediapipe
#   scripts/bench.sh pose-stages [ROUNDS]          ms per frame of each pipeline stage (JPEG
#                                                   decode, crops, models, post-processing),
#                                                   both inputs, 1 and 2 threads
#                                                   (bench-pose-stages.sh)
#   scripts/bench.sh startup                       model load stages cold/warm (packed-weight
#                                                   cache), process start to first inference,
#                                                   `buddy count` on a 5 s clip vs pure
#                                                   inference (bench-startup.sh)
#   scripts/bench.sh video-timeline [BINARY]        `buddy count` of the startup clip traced
#                                                   with perf: ffprobe/ffmpeg exec and exit,
#                                                   first/last frame, first inference, CPU per
#                                                   process (bench-video-timeline.sh)
#   scripts/bench.sh process-start [BIN [BEFORE]]  `buddy --version` and `buddy count` of one
#                                                   frame: CPU ms, page faults, libraries
#                                                   (bench-process-start.sh)
#   scripts/bench.sh import-videos                 `buddy import` of 8 short videos, --jobs 1
#                                                   vs --jobs 2, warm and cold packed-weight
#                                                   cache, and two cores vs one pinned core
#                                                   (bench-import-videos.sh)
#   scripts/bench.sh landmarks [MINUTES]           kept landmarks' bytes per minute of 30 fps
#                                                   video, raw and stored with pglz and lz4
#                                                   (bench-landmarks.sh)
#   scripts/bench.sh scale-partitions [WORKOUTS] [USERS] [RUNS]
#                                                   10 M workouts, 100,000 users (COPY):
#                                                   history/stats p50/p95 and EXPLAIN of the
#                                                   stats queries, partitioned (schema 8) vs
#                                                   not (bench-scale-partitions.sh)
#   scripts/bench.sh scale-replica [FILES [COPIES]] replica lag (write/flush/replay, ms and bytes),
#                                                   WAL and table bytes per workout and catch-up
#                                                   time during `buddy import` of FILES sessions
#                                                   (2000) on a cluster-lab primary + standby,
#                                                   then with the server alone writing COPIES
#                                                   (100) copies of them (bench-scale-replica.sh)
#   scripts/bench.sh scale                         scale-partitions, scale-replica and
#                                                   scale-failover in order, with their defaults
#                                                   (scripts/bench-scale-NAME.sh each)
#   scripts/bench.sh scale-failover [RUNS]         time from kill -9 of the primary to the first
#                                                   saved `buddy record` with pg_auto_failover,
#                                                   per run and median (bench-scale-failover.sh)
# Pose runtime:
#   scripts/bench.sh model [iterations]            ms per inference of both models (median
#                                                   of 50 after warm-up) with the fast
#                                                   executor, next to TFLite 2.14 + XNNPACK
#                                                   (1 thread, and 2 threads for the 2-thread
#                                                   rows) in the same run, the ratios,
#                                                   and heap allocations per inference;
#                                                   BUDDY_BENCH_ROUNDS (default 3) alternating
#                                                   rounds, each side's best median reported
#   scripts/bench.sh model-reference [iterations]  ms per inference, reference kernels
#   scripts/bench.sh roofline [runs]               this CPU's fused and unfused peak, and per
#                                                   model and layer kind the multiply-adds,
#                                                   GFLOP/s and fraction of the peak; first,
#                                                   any kernel function whose vector loads or
#                                                   stores the compiler left as calls
#                                                   (bench-roofline.sh)
#
# Needs the models (scripts/fetch-pose-models.sh) and, for `model`, python3 with venv:
# tflite-runtime 2.14 and numpy<2 are installed into the virtualenv
# ${BUDDY_BENCH_VENV:-$HOME/.cache/exercise-buddy/golden-venv} (the one make-golden.sh uses)
# when missing. Machine load (a shared machine) makes single runs noisy, hence the rounds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

model_dir="${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}"

build() {
  swift build -c release --product pose-bench >&2
  echo "$(swift build -c release --show-bin-path)/pose-bench"
}

ensure_venv() {
  local venv=$1
  if ! "$venv/bin/python" -c 'import tflite_runtime, numpy' >/dev/null 2>&1; then
    echo "bench: installing tflite-runtime 2.14 into $venv" >&2
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q 'tflite-runtime==2.14.0' 'numpy<2' >&2
  fi
}

case "${1:-}" in
  model)
    iterations="${2:-50}"
    rounds="${BUDDY_BENCH_ROUNDS:-3}"
    bin="$(build)"
    venv="${BUDDY_BENCH_VENV:-$HOME/.cache/exercise-buddy/golden-venv}"
    ensure_venv "$venv"
    echo "bench: $rounds alternating rounds of ours (release) and TFLite 2.14 + XNNPACK," \
      "1 and 2 threads, $iterations timed runs each after warm-up" >&2
    "$venv/bin/python" - "$model_dir" "$iterations" "$rounds" "$bin" <<'PY'
import json
import statistics
import subprocess
import sys
import time

import numpy as np
from tflite_runtime.interpreter import Interpreter

model_dir, iterations, rounds, binary = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def xnnpack(path, threads=1):
    # The default op resolver of tflite-runtime 2.14 applies the XNNPACK delegate to
    # float models.
    interpreter = Interpreter(model_path=path, num_threads=threads)
    interpreter.allocate_tensors()
    detail = interpreter.get_input_details()[0]
    data = np.random.default_rng(0).random(detail["shape"], dtype=np.float32)
    interpreter.set_tensor(detail["index"], data)
    for _ in range(5):
        interpreter.invoke()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        interpreter.invoke()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times)}


def better(a, b):
    return b if a is None or b["median_ms"] < a["median_ms"] else a


ours, theirs = {}, {}
for round_index in range(rounds):
    output = subprocess.run(
        [binary, "model", str(iterations)], check=True, capture_output=True, text=True
    ).stdout
    medians = []
    for line in output.splitlines():
        entry = json.loads(line)
        ours[entry["name"]] = better(ours.get(entry["name"]), entry)
        medians.append(f"{entry['name']} {entry['median_ms']:.2f}")
    for key, name in (("detector", "pose_detection"), ("landmarks", "pose_landmark_full")):
        for threads in (1, 2):
            label = key if threads == 1 else f"{key}_2_threads"
            result = xnnpack(f"{model_dir}/{name}.tflite", threads)
            theirs[label] = better(theirs.get(label), result)
            medians.append(f"xnnpack {label} {result['median_ms']:.2f}")
    print(f"round {round_index + 1}: " + ", ".join(medians), file=sys.stderr)

rows = [
    ("detector", "detector", "detector", 1.3),
    ("landmarks, all outputs", "landmarks_full", "landmarks", None),
    ("landmarks without segmentation", "landmarks_no_segmentation", "landmarks", 1.0),
    ("detector, 2 threads", "detector_2_threads", "detector_2_threads", None),
    ("landmarks without segmentation, 2 threads", "landmarks_no_segmentation_2_threads",
     "landmarks_2_threads", None),
]
print(f"Best median of {iterations} runs per side over {rounds} alternating rounds (ms; min in parentheses).")
print()
print("| model | ours | XNNPACK | ratio (medians) | ratio (mins) | target | allocations/inference |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for label, key, xkey, target in rows:
    if key not in ours:
        continue  # the 2-thread rows need two CPUs
    o, x = ours[key], theirs[xkey]
    ratio = o["median_ms"] / x["median_ms"]
    verdict = "" if target is None else (f"≤ {target}× {'met' if ratio <= target else 'MISSED'}")
    print(
        f"| {label} | {o['median_ms']:.2f} ({o['min_ms']:.2f}) | {x['median_ms']:.2f} ({x['min_ms']:.2f}) "
        f"| {ratio:.2f}× | {o['min_ms'] / x['min_ms']:.2f}× | {verdict} | {o['allocations_per_inference']:g} |"
    )
print()
print("XNNPACK always runs the whole landmark model (it cannot skip the segmentation branch);")
print("the landmark rows are compared with that time. The 2-thread rows: our executor on a")
print("ComputeThreads team of two, XNNPACK with num_threads=2.")
PY
    ;;
  model-reference)
    bin="$(build)"
    "$bin" model-reference "${2:-5}"
    ;;
  count | cli | import | export | pose | backup | startup | video-timeline | process-start | import-videos | landmarks | scale-partitions | scale-replica | scale-failover | roofline | pose-stages)
    # Each of these has its body in scripts/bench-NAME.sh.
    name=$1
    shift
    exec "scripts/bench-$name.sh" "$@"
    ;;
  scale)
    missing=()
    for part in partitions replica failover; do
      [[ -x scripts/bench-scale-$part.sh ]] || missing+=("scripts/bench-scale-$part.sh")
    done
    if ((${#missing[@]} > 0)); then
      echo "bench: scale needs ${missing[*]}, which this tree does not have (or not executable)" >&2
      exit 1
    fi
    for part in partitions replica failover; do
      echo "bench: scale-$part" >&2
      scripts/bench-scale-$part.sh
      echo
    done
    ;;
  *)
    echo "usage: scripts/bench.sh model|model-reference [iterations] | roofline [RUNS] | count [BINARY] | cli [WORKOUTS] | import [FILES] | pose | pose-stages [ROUNDS] | startup | video-timeline [BINARY] | process-start [BINARY [BEFORE]] | import-videos | export [WORKOUTS] | backup [WORKOUTS] | landmarks [MINUTES] | scale | scale-partitions [WORKOUTS] [USERS] [RUNS] | scale-replica [FILES [COPIES]] | scale-failover [RUNS]" >&2
    exit 64
    ;;
esac
