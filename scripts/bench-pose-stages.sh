#!/usr/bin/env bash
# Where each frame of `buddy pose` spends its time outside and inside the two models:
# `pose-bench pipeline` (release build) on the dev frames (../shared/realdata; each clip on a
# fresh pipeline, tracking mode) and on the generated 640x360 sequence (the boxer-step clip
# scaled with ffmpeg, as bench-pose.sh makes it), with 1 thread pinned to one core and with 2
# threads, and prints per stage the milliseconds per frame: JPEG decode (from the bytes in
# memory, as `buddy pose` decodes), the detector input crop, the detector, box decoding, the
# landmark input crop (the rotated 256 x 256 ROI), the landmark model, and landmark
# decoding/refinement/smoothing; wall clock and the calling thread's CPU time (the loaded
# machine shows in the former; with 2 threads the helper's share of a stage is in neither
# CPU column). Each stage is the best of ROUNDS rounds (default 3), per clip, summed over
# the clips and divided by their frames.
# Usage: scripts/bench-pose-stages.sh [ROUNDS]   (POSE_BENCH=path: another pose-bench binary,
# e.g. an earlier build for a before/after table)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${REALDATA_DIR:-../shared/realdata}"
[[ -d "$data/cases" ]] || { echo "skipped: $data not found"; exit 0; }
rounds="${1:-3}"
if [[ -n ${POSE_BENCH:-} ]]; then
  bench=$POSE_BENCH
else
  swift build -c release --product pose-bench >&2
  bench="$(swift build -c release --show-bin-path)/pose-bench"
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
clips=()
for folder in "$data"/cases/*/; do
  fps="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["fps"])' "$folder/landmarks.json")"
  clips+=("dev $folder/frames $fps")
done
if command -v ffmpeg >/dev/null; then
  mkdir "$scratch/640x360"
  ffmpeg -v error -i "$data/cases/jumprope-boxerstep/frames/%05d.jpg" -vf scale=640:360 -q:v 2 \
    "$scratch/640x360/%05d.jpg"
  clips+=("640x360 $scratch/640x360 29.97")
fi
for threads in 1 2; do
  pin=()
  [[ $threads == 1 ]] && pin=(taskset -c 0)
  for clip in "${clips[@]}"; do
    read -r group folder fps <<<"$clip"
    printf '%s\t%s\t' "$group" "$threads"
    "${pin[@]}" "$bench" pipeline "$folder" "$fps" "$threads" "$rounds"
  done
done >"$scratch/lines.tsv"
python3 - "$scratch/lines.tsv" "$rounds" <<'PY'
import json, sys
totals = {}
for line in open(sys.argv[1]):
    group, threads, record = line.rstrip("\n").split("\t", 2)
    record = json.loads(record)
    entry = totals.setdefault((group, int(threads)), {"frames": 0, "wall": {}, "cpu": {}, "best_ms": 0.0})
    kernels = record.get("instruction_set", "unknown")
    frames = record["frames"]
    entry["frames"] += frames
    entry["best_ms"] += record["best_ms"]
    for key, column in (("stages_ms_per_frame", "wall"), ("stages_thread_cpu_ms_per_frame", "cpu")):
        for stage, ms in record[key].items():
            entry[column][stage] = entry[column].get(stage, 0.0) + ms * frames
stages = ["jpeg decode", "detector input", "detector model", "detections", "landmark input",
          "landmark model", "landmarks"]
print(f"## Per-frame stages of the pose pipeline (pose-bench pipeline, best of {sys.argv[2]} rounds per clip)")
print()
print(f"Pose kernels: {kernels} (BUDDY_POSE_ISA=avx2|avx512|avx512-gemm8 chooses; default the fastest this CPU runs)")
print()
print("| input | threads | frames | " + " | ".join(f"{s} ms (cpu)" for s in stages) + " | pipeline ms/frame, best |")
print("| --- | --- | --- | " + " | ".join("---" for _ in stages) + " | --- |")
for (group, threads), entry in sorted(totals.items()):
    n = entry["frames"]
    cells = [f"{entry['wall'].get(s, 0) / n:.3f} ({entry['cpu'].get(s, 0) / n:.3f})" for s in stages]
    print(f"| {group} | {threads} | {n} | " + " | ".join(cells) + f" | {entry['best_ms'] / n:.3f} |")
print()
print("pipeline ms/frame: PosePipeline.process over the decoded frames (JPEG decode not included)")
PY
