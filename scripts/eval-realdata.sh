#!/usr/bin/env bash
# Evaluates on the shared real-data set (push-ups and jump rope).
#
#   scripts/eval-realdata.sh [BUDDY_BINARY]
#   scripts/eval-realdata.sh --pose [--static] [--mediapipe-clock] [--cases A,B] [BUDDY_BINARY]
#   scripts/eval-realdata.sh --from-frames [BUDDY_BINARY]   counts from the JPEG frames (our pose
#                                          estimation) next to counts from MediaPipe's landmarks
#
# Default: counts every case with `--exercise auto` and compares the count and the detected
# exercise with the ground truth. Prints one row per case (ground truth, accepted range, our
# count, whether it is in range, detected exercise) and totals: inside range, mean absolute
# error per exercise, auto-detection accuracy. Exits 1 when a case falls outside its accepted
# range or is detected as the wrong exercise.
#
# --pose: runs `buddy pose --fps <clip rate>` on each case's frames and compares with
# MediaPipe's landmarks: per case the mean and p95 distance in pixels over the 33 landmarks of
# the frames where both found a pose, the share of MediaPipe's pose frames where we found one
# too, and frames/s. Tracking mode compares with the stored landmarks.json (MediaPipe tracking
# mode, whose filters run on a fixed 30 fps clock; ours use the real rate). --static runs
# `buddy pose --static` against static-mode MediaPipe landmarks made by
# scripts/mediapipe-reference.py into .build/mediapipe-static/ (needs $BUDDY_MEDIAPIPE_VENV,
# default ~/.cache/exercise-buddy/mediapipe-venv, with mediapipe==0.10.14). Exits 1 when a
# target is missed (mean <= 1 px static / 3 px tracking, pose on >= 95 % of MediaPipe's).
# --mediapipe-clock runs `buddy pose --fps 30` whatever the clip's rate, i.e. on the clock
# mp.solutions gives its filters, to separate clock effects from pipeline differences.
#
# Builds the release binary unless one is given (or $BUDDY_BIN is set). Exits 0 with
# "skipped: ..." when the data set (../shared/realdata relative to the repository root) is
# absent.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${REALDATA_DIR:-$root/../shared/realdata}"
if [[ ! -d "$data/cases" ]]; then
  echo "skipped: ../shared/realdata not found"
  exit 0
fi

pose=0
from_frames=0
static=0
clock30=0
cases=""
binary="${BUDDY_BIN:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pose) pose=1 ;;
    --from-frames) from_frames=1 ;;
    --static) static=1 ;;
    --mediapipe-clock) clock30=1 ;;
    --cases) cases="$2"; shift ;;
    *) binary="$1" ;;
  esac
  shift
done
if [[ -z "$binary" ]]; then
  (cd "$root" && swift build -c release --product buddy >&2)
  binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
fi

if [[ "$pose" == 1 ]]; then
  refdir=""
  if [[ "$static" == 1 ]]; then
    refdir="$root/.build/mediapipe-static"
    venv="${BUDDY_MEDIAPIPE_VENV:-$HOME/.cache/exercise-buddy/mediapipe-venv}"
    mkdir -p "$refdir"
    for dir in "$data"/cases/*/; do
      case_name="$(basename "$dir")"
      [[ -z "$cases" || ",$cases," == *",$case_name,"* ]] || continue
      [[ -f "$refdir/$case_name.json" ]] && continue
      "$venv/bin/python" -c 'import mediapipe' 2>/dev/null ||
        { echo "static reference needs mediapipe 0.10.14 in $venv (see scripts/mediapipe-reference.py)" >&2; exit 1; }
      echo "making the static MediaPipe reference of $case_name" >&2
      "$venv/bin/python" "$root/scripts/mediapipe-reference.py" --static "$dir/frames" \
        "$refdir/$case_name.json" 2>/dev/null
    done
  fi
  exec python3 - "$binary" "$data" "$static" "$cases" "$refdir" "$clock30" <<'PY'
import json, math, os, subprocess, sys, time
binary, data, static, cases, refdir = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4], sys.argv[5]
clock30 = sys.argv[6] == "1"
names = sorted(os.listdir(os.path.join(data, "cases")))
if cases:
    names = [n for n in names if n in cases.split(",")]
mode = "static" if static else "tracking"
print(f"buddy pose --{mode} vs MediaPipe 0.10.14 ({'static mode' if static else 'tracking mode, stored landmarks.json'})"
      + (", buddy pose --fps 30 (MediaPipe's clock)" if clock30 else ", buddy pose --fps <clip rate>"))
print(f"{'case':24} {'size':>8} {'fps':>6} {'frames':>6} {'mp pose':>7} {'both':>5} {'share':>6} {'mean px':>8} {'p95 px':>7} {'max px':>7} {'frames/s':>8}")
all_d, total_mp, total_both, failed, total_frames, total_time = [], 0, 0, False, 0, 0.0
for case in names:
    folder = os.path.join(data, "cases", case)
    stored = json.load(open(os.path.join(folder, "landmarks.json")))
    fps = stored["fps"]
    ref = json.load(open(os.path.join(refdir, case + ".json"))) if static else stored
    args = [binary, "pose", "--fps", "30" if clock30 else str(fps)] + (["--static"] if static else []) + [os.path.join(folder, "frames")]
    t0 = time.monotonic()
    run = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if run.returncode != 0:
        print(f"{case:24} ERROR {run.returncode}: {run.stderr.strip()}")
        failed = True
        continue
    ours = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    W, H = ours[0]["width"], ours[0]["height"]
    frames = ref["frames"]
    assert len(ours) == len(frames), (case, len(ours), len(frames))
    dists, n_mp, n_both = [], 0, 0
    for a, b in zip(ours, frames):
        if b["landmarks"] is None:
            continue
        n_mp += 1
        if a["landmarks"] is None:
            continue
        n_both += 1
        for p, q in zip(a["landmarks"], b["landmarks"]):
            dists.append(math.hypot((p[0] - q[0]) * W, (p[1] - q[1]) * H))
    dists.sort()
    mean = sum(dists) / len(dists) if dists else float("nan")
    p95 = dists[min(len(dists) - 1, int(0.95 * len(dists)))] if dists else float("nan")
    share = n_both / n_mp if n_mp else 1.0
    all_d += dists
    total_mp += n_mp
    total_both += n_both
    total_frames += len(ours)
    total_time += elapsed
    print(f"{case:24} {f'{W}x{H}':>8} {fps:>6.2f} {len(ours):>6} {n_mp:>7} {n_both:>5} {100*share:>5.1f}% {mean:>8.3f} {p95:>7.3f} {dists[-1] if dists else float('nan'):>7.2f} {len(ours)/elapsed:>8.1f}")
all_d.sort()
if all_d:
    mean = sum(all_d) / len(all_d)
    p95 = all_d[int(0.95 * len(all_d))]
    share = total_both / total_mp if total_mp else 1.0
    print(f"{'all':24} {'':>8} {'':>6} {total_frames:>6} {total_mp:>7} {total_both:>5} {100*share:>5.1f}% {mean:>8.3f} {p95:>7.3f} {all_d[-1]:>7.2f} {total_frames/total_time:>8.1f}")
    target = 1.0 if static else 3.0
    ok = mean <= target and share >= 0.95 and not failed
    print(f"targets: mean <= {target} px: {'yes' if mean <= target else 'NO'}; pose on >= 95 % of MediaPipe's pose frames: {'yes' if share >= 0.95 else 'NO'}")
    sys.exit(0 if ok else 1)
sys.exit(1)
PY
fi

if [[ "$from_frames" == 1 ]]; then
  python3 - "$binary" "$data" <<'PY'
import json, os, subprocess, sys, time
binary, data = sys.argv[1], sys.argv[2]
cases = sorted(os.listdir(os.path.join(data, "cases")))
print("buddy count on each case's JPEG frames (our own pose estimation) next to buddy count on")
print("MediaPipe's stored landmarks.json and the ground truth; --exercise auto, --fps = clip rate")
print(f"{'case':24} {'exercise':9} {'truth':>5} {'range':>7} {'frames':>6} {'mediapipe':>9}  in-range  frames/s")
bad = 0
for case in cases:
    folder = os.path.join(data, "cases", case)
    truth = json.load(open(os.path.join(folder, "gt.json")))
    fps = json.load(open(os.path.join(folder, "landmarks.json")))["fps"]
    kind, (lo, hi) = truth["exercise"], truth["acceptable_range"]
    counts = []
    started = time.perf_counter()
    for source, extra in ((os.path.join(folder, "frames"), ["--fps", str(fps)]), (os.path.join(folder, "landmarks.json"), [])):
        run = subprocess.run([binary, "count", "--format", "json"] + extra + [source], capture_output=True, text=True)
        if run.returncode != 0:
            counts.append(None)
            print(f"{case}: {run.stderr.strip()}", file=sys.stderr)
        else:
            result = json.loads(run.stdout)
            counts.append(result["reps"] if result["exercise"] == kind else 0)
        if len(counts) == 1:
            elapsed = time.perf_counter() - started
    frames = len(os.listdir(os.path.join(folder, "frames")))
    ok = all(c is not None and lo <= c <= hi for c in counts)
    bad += not ok
    print(f"{case:24} {kind:9} {truth['reps']:>5} {f'{lo}-{hi}':>7} {str(counts[0]):>6} {str(counts[1]):>9}  {'yes' if ok else 'NO':8}  {frames / elapsed:8.1f}")
print(f"\nboth counts inside the accepted range: {len(cases) - bad}/{len(cases)}")
sys.exit(0 if bad == 0 else 1)
PY
  exit $?
fi

python3 - "$binary" "$data" <<'PY'
import json, os, subprocess, sys
binary, data = sys.argv[1], sys.argv[2]
cases = sorted(os.listdir(os.path.join(data, "cases")))
inside, exact, detected_right = 0, 0, 0
errors = {}
print(f"{'case':24} {'exercise':9} {'truth':>5} {'range':>7} {'ours':>5} {'partial':>7}  in-range  detected (confidence)")
for case in cases:
    folder = os.path.join(data, "cases", case)
    truth = json.load(open(os.path.join(folder, "gt.json")))
    kind = truth["exercise"]
    lo, hi = truth["acceptable_range"]
    run = subprocess.run([binary, "count", "--exercise", "auto", "--format", "json",
                          os.path.join(folder, "landmarks.json")], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{case:24} {kind:9} {truth['reps']:>5} {f'{lo}-{hi}':>7} {'ERR':>5} {'':>7}  no  ({run.stderr.strip()})")
        errors.setdefault(kind, []).append(100.0)
        continue
    result = json.loads(run.stdout)
    ours = result["reps"] if result["exercise"] == kind else 0
    ok = lo <= ours <= hi
    inside += ok
    exact += ours == truth["reps"]
    detected = result.get("detected") or {}
    right = result["exercise"] == kind and detected.get("exercise") == kind
    detected_right += right
    errors.setdefault(kind, []).append(abs(ours - truth["reps"]) / truth["reps"] * 100 if truth["reps"] else 0.0)
    print(f"{case:24} {kind:9} {truth['reps']:>5} {f'{lo}-{hi}':>7} {ours:>5} {result['partial_reps']:>7}  "
          f"{'yes' if ok else 'NO':8}  {detected.get('exercise', '-')} ({detected.get('confidence', 0)})"
          f"{'' if right else '  WRONG'}")
n = len(cases)
print(f"\ninside range: {inside}/{n}   exact: {exact}/{n}   auto-detection: {detected_right}/{n} right")
for kind, values in sorted(errors.items()):
    print(f"mean absolute error, {kind}: {sum(values)/len(values):.1f}% over {len(values)} cases")
sys.exit(0 if inside == n and detected_right == n else 1)
PY
