#!/usr/bin/env bash
# Benchmarks of the pose runtime, built in release, single thread.
#   scripts/bench.sh model [iterations]            ms per inference of both models (median
#                                                   of 50 after warm-up) with the fast
#                                                   executor, next to TFLite 2.14 + XNNPACK
#                                                   (1 thread) in the same run, the ratios,
#                                                   and heap allocations per inference
#   scripts/bench.sh model-reference [iterations]  ms per inference, reference kernels
#
# Needs the models (scripts/fetch-pose-models.sh) and, for `model`, python3 with venv:
# tflite-runtime 2.14 and numpy<2 are installed into the virtualenv
# ${BUDDY_BENCH_VENV:-$HOME/.cache/exercise-buddy/golden-venv} (the one make-golden.sh uses)
# when missing. Machine load makes single runs noisy: compare numbers from one run.
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
    bin="$(build)"
    venv="${BUDDY_BENCH_VENV:-$HOME/.cache/exercise-buddy/golden-venv}"
    ensure_venv "$venv"
    ours="$(mktemp)"
    trap 'rm -f "$ours"' EXIT
    echo "bench: ours (release, 1 thread, $iterations runs after warm-up)" >&2
    "$bin" model "$iterations" >"$ours"
    echo "bench: TFLite 2.14 + XNNPACK (1 thread, $iterations runs after warm-up)" >&2
    "$venv/bin/python" - "$model_dir" "$iterations" "$ours" <<'PY'
import json
import statistics
import sys
import time

import numpy as np
from tflite_runtime.interpreter import Interpreter

model_dir, iterations, ours_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def xnnpack_ms(path):
    # The default op resolver of tflite-runtime 2.14 applies the XNNPACK delegate to
    # float models; one thread.
    interpreter = Interpreter(model_path=path, num_threads=1)
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
    return statistics.median(times), min(times)


ours = {}
with open(ours_file) as f:
    for line in f:
        entry = json.loads(line)
        ours[entry["name"]] = entry

det_x, det_x_min = xnnpack_ms(f"{model_dir}/pose_detection.tflite")
lm_x, lm_x_min = xnnpack_ms(f"{model_dir}/pose_landmark_full.tflite")

rows = [
    ("detector", "detector", det_x, det_x_min, 1.3),
    ("landmarks, all outputs", "landmarks_full", lm_x, lm_x_min, None),
    ("landmarks without segmentation", "landmarks_no_segmentation", lm_x, lm_x_min, 1.0),
]
print("| model | ours median ms (min) | XNNPACK median ms (min) | ratio | target | allocations/inference |")
print("| --- | --- | --- | --- | --- | --- |")
for label, key, x, x_min, target in rows:
    o = ours[key]
    ratio = o["median_ms"] / x
    verdict = "" if target is None else (f"≤ {target}× {'met' if ratio <= target else 'MISSED'}")
    print(
        f"| {label} | {o['median_ms']:.2f} ({o['min_ms']:.2f}) | {x:.2f} ({x_min:.2f}) "
        f"| {ratio:.2f}× | {verdict} | {o['allocations_per_inference']:g} |"
    )
print()
print("XNNPACK always runs the whole landmark model (it cannot skip the segmentation branch);")
print("both landmark rows are compared with that time.")
PY
    ;;
  model-reference)
    bin="$(build)"
    "$bin" model-reference "${2:-5}"
    ;;
  *)
    echo "usage: scripts/bench.sh model|model-reference [iterations]" >&2
    exit 64
    ;;
esac
