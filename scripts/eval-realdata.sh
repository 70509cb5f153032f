#!/usr/bin/env bash
# Evaluates on the shared real-data set (push-ups and jump rope).
#
#   scripts/eval-realdata.sh [BUDDY_BINARY]
#   scripts/eval-realdata.sh --pose [--static] [--mediapipe-clock] [--cases A,B] [BUDDY_BINARY]
#   scripts/eval-realdata.sh --from-frames [BUDDY_BINARY]   counts from the JPEG frames (our pose
#                                          estimation) next to counts from MediaPipe's landmarks
#   scripts/eval-realdata.sh --variants [--cases A,B] [--only V,W] [--jobs N] [--direct-check C]
#                                          [BUDDY_BINARY]   counts on phone-like re-encodings of
#                                          each clip (see below)
#
# Default: counts every case with `--exercise auto` (and with the case's exercise named, which
# must give the same count: auto mode loses nothing) and compares the count and the detected
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
# --variants: real-world video. Makes, with ffmpeg, a source video per case from its JPEG frames
# at the clip's rate (H.264 crf 12), and from it these variants (H.264, crf 23 unless named):
#   crf23, crf32   re-encoded at crf 23 / crf 32
#   360p           scaled to 360 px high (scale=-2:360; the dev clips are 240-270 px high, so
#                  this one is an upscale)
#   lowfps         resampled to 10 fps (push-ups, squats) / 24 fps (jump rope) (fps filter)
#   mirror         flipped left-right (hflip)
#   rot90          stored sideways with a 90-degree display matrix, as a phone held upright
#                  writes it: the pixels turned 90 degrees counter-clockwise (landscape-coded),
#                  the matrix saying "turn 90 degrees clockwise to show" (ffprobe: rotation -90;
#                  the legacy tag rotate=90), written with `-c copy -metadata:s:v:0 rotate=N`.
#                  Debian 12's ffmpeg 5.1 writes rotate=90 as the opposite matrix (+90), so N is
#                  chosen by reading back what this ffmpeg wrote. Each run checks with ffprobe
#                  that the stored size is the swapped one and the matrix is -90, and that the
#                  autorotated decode has the source's size and picture (PSNR vs the source).
# Then runs `buddy count --format json` with --exercise auto and with the case's exercise on
# the JPEG frames (--fps = clip rate), the source video and every variant, and prints one row
# per case: ground truth, accepted range, number of frames, and per column "auto/forced"
# counts (a count for the wrong exercise is 0 and marked w; * marks a count outside the
# range), then how many cases are inside the range per column. --only picks columns from
# jpegs,source,crf23,crf32,360p,lowfps,mirror,rot90 (all by default). Videos are cached under
# .build/variants/<case>/ and reused (delete the folder to remake them). Exits 1 when any count
# is outside its range (or wrong exercise, or an error) or the rotation check fails; exits 0
# with "skipped: ..." when ffmpeg/ffprobe are not installed.
# Pose cache: our pose is the expensive part, so each cell runs it once per decode rate and
# keeps the frames the counters were fed (`buddy count --dump-frames`, hidden) in
# .build/variants/<case>/pose-<key>/<column>-{both,auto,forced}.jsonl; auto and forced share
# one run when they decode the same frames (jump rope, whose rate is the detection rate; JPEG
# frames with --fps; a video at or under 15 fps), and later runs count the kept frames (auto
# with `--replay-video-fps`, so each counter is fed its own rate as for the video): seconds
# per case instead of minutes. <key> is scripts/pose-cache-key.sh's: a hash of the frames this
# binary's pose gives on a short probe (the first 40 frames of the data set's first case, from
# the JPEGs with 1 and 2 threads and from a mirrored, rotation-tagged video), the model files
# and ffmpeg's version; not of the sources, so a bit-exact refactor keeps the cache, and not of
# the counters, so a counter change is re-measured from the cache. One column per case
# (--direct-check, default source; none to skip) is also counted straight from the video, and a
# difference from the cached frames is a failure. --jobs N (default 2) counts N cases at once,
# each buddy with --threads 1 (our pose gives the same landmarks for any number of threads).
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
variants=0
only=""
static=0
clock30=0
cases=""
jobs=2
direct_check=source
binary="${BUDDY_BIN:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pose) pose=1 ;;
    --from-frames) from_frames=1 ;;
    --variants) variants=1 ;;
    --only) only="$2"; shift ;;
    --static) static=1 ;;
    --mediapipe-clock) clock30=1 ;;
    --cases) cases="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --direct-check) direct_check="$2"; shift ;;
    *) binary="$1" ;;
  esac
  shift
done
if [[ "$variants" == 1 ]] && ! { command -v ffmpeg && command -v ffprobe; } >/dev/null; then
  echo "skipped: the variants need ffmpeg and ffprobe (sudo apt-get install -y ffmpeg)"
  exit 0
fi
if [[ -z "$binary" ]]; then
  (cd "$root" && swift build -c release --product buddy >&2)
  binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
fi

if [[ "$variants" == 1 ]]; then
  # The pose cache key: the frames our pose gives on a short probe (the data set's first case),
  # the model files and ffmpeg's version, not the sources (scripts/pose-cache-key.sh).
  probe_case="$(find "$data/cases" -mindepth 1 -maxdepth 1 -type d | sort | head -1)"
  probe_dir="$root/.build/variants/.pose-probe-$$"  # one per run: sweeps may run side by side
  pose_key="$("$root/scripts/pose-cache-key.sh" "$binary" "$probe_case/frames" "$probe_dir")"
  rm -rf "$probe_dir"
  exec python3 - "$binary" "$data" "$root/.build/variants" "$cases" "$only" "$jobs" "$pose_key" \
    "$direct_check" <<'PY'
import concurrent.futures, json, os, re, subprocess, sys, time
binary, data, cache, cases_arg, only_arg = sys.argv[1:6]
jobs, pose_key, direct_check = int(sys.argv[6]), sys.argv[7], sys.argv[8]
threads = 1 if jobs > 1 else min(4, os.cpu_count() or 1)
VIDEO_FPS = {"push-up": 15, "squat": 15, "jump-rope": 30}  # Exercise.videoFPS
DETECTION_FPS = max(VIDEO_FPS.values())  # Exercise.detectionVideoFPS
COLUMNS = ["jpegs", "source", "crf23", "crf32", "360p", "lowfps", "mirror", "rot90"]
HEADINGS = {"lowfps": "fps10|24"}
LOW_FPS = {"jump-rope": 24}  # 10 fps for the others (push-ups, squats)
chosen = only_arg.split(",") if only_arg else COLUMNS
unknown = [c for c in chosen if c not in COLUMNS]
names = sorted(os.listdir(os.path.join(data, "cases")))
wanted = cases_arg.split(",") if cases_arg else names
unknown += [c for c in wanted if c not in names]
if unknown:
    sys.exit(f"unknown column or case: {', '.join(unknown)} (columns: {','.join(COLUMNS)})")
chosen = [c for c in COLUMNS if c in chosen]
names = [n for n in names if n in wanted]


def run(args):
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}\nfailed: {done.stderr.strip()}")
    return done


def ffmpeg(*args):
    return run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args])


def stream(path):
    """ffprobe's first video stream: coded size, frame count, display matrix rotation."""
    out = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
               "stream=width,height,nb_frames:stream_side_data=rotation:stream_tags=rotate",
               "-of", "json", path]).stdout
    s = json.loads(out)["streams"][0]
    rotation = next((d["rotation"] for d in s.get("side_data_list", []) if "rotation" in d), 0)
    return s["width"], s["height"], int(s.get("nb_frames", 0)), rotation


def made(path, make):
    """Makes `path` with make(temporary path) unless it is there (an interrupted run leaves
    only the temporary file)."""
    if not os.path.exists(path):
        tmp = path[:-4] + ".part.mp4"
        make(tmp)
        os.replace(tmp, path)
    return path


def h264(crf):
    return ["-an", "-c:v", "libx264", "-crf", str(crf), "-pix_fmt", "yuv420p"]


os.makedirs(cache, exist_ok=True)
# The tag value that gives the matrix a phone held upright writes (rotation -90: show the
# pixels turned 90 degrees clockwise). Debian 12's ffmpeg 5.1 writes rotate=90 as +90.
probe_dir = os.path.join(cache, ".tag-probe")
os.makedirs(probe_dir, exist_ok=True)
ffmpeg("-f", "lavfi", "-i", "color=size=32x16:rate=1", "-t", "1", *h264(23), probe_dir + "/plain.mp4")
ffmpeg("-i", probe_dir + "/plain.mp4", "-c", "copy", "-metadata:s:v:0", "rotate=90", probe_dir + "/tagged.mp4")
tag = "90" if stream(probe_dir + "/tagged.mp4")[3] == -90 else "270"
if tag != "90":
    print("note: this ffmpeg writes -metadata:s:v:0 rotate=90 as a +90 display matrix "
          "(counter-clockwise); rot90 is tagged rotate=270 to get the phone's -90")


def variant(column, case, kind, source):
    folder = os.path.join(cache, case)
    if column == "source":
        return source
    if column == "crf23":
        return made(f"{folder}/crf23.mp4", lambda t: ffmpeg("-i", source, *h264(23), t))
    if column == "crf32":
        return made(f"{folder}/crf32.mp4", lambda t: ffmpeg("-i", source, *h264(32), t))
    if column == "360p":
        return made(f"{folder}/360p.mp4",
                    lambda t: ffmpeg("-i", source, "-vf", "scale=-2:360", *h264(23), t))
    if column == "lowfps":
        rate = LOW_FPS.get(kind, 10)
        return made(f"{folder}/fps{rate}.mp4",
                    lambda t: ffmpeg("-i", source, "-vf", f"fps={rate}", *h264(23), t))
    if column == "mirror":
        return made(f"{folder}/mirror.mp4", lambda t: ffmpeg("-i", source, "-vf", "hflip", *h264(23), t))
    if column == "rot90":
        def make(t):
            side = f"{folder}/sideways.mp4"
            ffmpeg("-i", source, "-vf", "transpose=cclock", *h264(23), side)
            ffmpeg("-i", side, "-c", "copy", "-metadata:s:v:0", f"rotate={tag}", t)
            os.remove(side)
        return made(f"{folder}/rot90.mp4", make)
    raise ValueError(column)


def decoded_size(path):
    """The size of the first frame as ffmpeg decodes it (autorotated), from the PNG header."""
    png = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-frames:v", "1",
                          "-f", "image2pipe", "-c:v", "png", "-"], capture_output=True).stdout
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def rotation_check(path, source):
    """Whether the rotated variant is stored sideways with the phone's matrix and decodes to
    the source's size and picture; and a line saying so."""
    w, h, n, rotation = stream(path)
    sw, sh, sn, _ = stream(source)
    dw, dh = decoded_size(path)
    psnr = subprocess.run(["ffmpeg", "-nostdin", "-i", path, "-i", source, "-lavfi", "[0:v][1:v]psnr",
                           "-f", "null", "-"], capture_output=True, text=True).stderr
    found = re.search(r"average:([0-9.]+|inf)", psnr)
    db = float(found.group(1)) if found else 0.0
    ok = (w, h) == (sh, sw) and rotation == -90 and (dw, dh) == (sw, sh) and n == sn and db >= 30
    return ok, (f"stored {w}x{h}, display matrix {rotation:+d}, decodes {dw}x{dh} "
                f"(source {sw}x{sh}), {n} frames (source {sn}), PSNR vs source {db:.1f} dB"
                f"{'' if ok else '  ROTATION CHECK FAILED'}")


def buddy_count(path, mode, extra):
    """`buddy count --format json --exercise mode` on path: (reps, exercise) or None on error."""
    done = subprocess.run([binary, "count", "--format", "json", "--threads", str(threads),
                           "--exercise", mode, *extra, path], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{path}: {done.stderr.strip()}", file=sys.stderr)
        return None
    result = json.loads(done.stdout)
    return result["reps"], result["exercise"]


def counted(result, kind):
    """(reps, right exercise) of one buddy_count result; a count for another exercise is 0."""
    if result is None:
        return None, False
    reps, exercise = result
    return (reps if exercise == kind else 0), exercise == kind


def replay(dump, mode):
    """Counts a --dump-frames file in `mode`, feeding auto mode's counters as for the video
    the frames came from (its first line's video_fps)."""
    with open(dump) as f:
        first = json.loads(f.readline())
    extra = ["--replay-video-fps", str(first["video_fps"])] if "video_fps" in first else []
    return buddy_count(dump, mode, extra)


def decode_rate(path, rate_of_mode):
    """The rate `buddy count` decodes a video at for a mode's default rate: min(that, the
    video's own avg_frame_rate), as PoseFrameSource does."""
    out = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
               "stream=avg_frame_rate", "-of", "default=noprint_wrappers=1:nokey=1", path]).stdout
    num, _, den = out.strip().partition("/")
    own = float(num) / float(den) if den and float(den) > 0 and float(num) > 0 else None
    return min(rate_of_mode, own) if own else rate_of_mode


def cell(case, column, path, kind, fps):
    """The auto and forced counts of one cell, through the pose cache: our pose runs once per
    decode rate (auto and forced share it when they decode the same frames: jump rope, whose
    rate is the detection rate, and JPEG frames with --fps) and `buddy count --dump-frames`
    keeps the frames the counters were fed; later runs count those files (seconds) as long as
    the pose key (pose sources, models, ffmpeg) is the same. Returns [auto, forced] results
    and, for each, whether it was counted straight from the input."""
    folder = os.path.join(cache, case, "pose-" + pose_key)
    os.makedirs(folder, exist_ok=True)
    extra = ["--fps", str(fps)] if column == "jpegs" else []
    shared = column == "jpegs" or (
        decode_rate(path, VIDEO_FPS[kind]) == decode_rate(path, DETECTION_FPS))
    results, direct = [], []
    for mode in ("auto", kind):
        name = "both" if shared else ("auto" if mode == "auto" else "forced")
        dump = os.path.join(folder, f"{column}-{name}.jsonl")
        if os.path.exists(dump):
            results.append(replay(dump, mode))
            direct.append(False)
            continue
        part = dump + ".part"
        result = buddy_count(path, mode, extra + ["--dump-frames", part])
        if result is not None:
            os.replace(part, dump)
        results.append(result)
        direct.append(True)
        if shared and result is not None:
            results.append(replay(dump, kind))
            direct.append(False)
            break
    return results, direct


width = 9
print("buddy count on phone-like re-encodings of each case; cells are auto/forced (--exercise auto /")
print("the case's exercise); w: counted as another exercise (0), *: outside the accepted range")
print(f"{'case':24} {'truth':>5} {'range':>6} {'frames':>6} "
      + " ".join(f"{HEADINGS.get(c, c):>{width}}" for c in chosen))
inside = {c: [0, 0] for c in chosen}
failures, checks = [], []


def run_case(case):
    """Makes a case's variants and counts every cell: (row, failures, checks, inside, seconds)."""
    folder = os.path.join(data, "cases", case)
    truth = json.load(open(os.path.join(folder, "gt.json")))
    fps = json.load(open(os.path.join(folder, "landmarks.json")))["fps"]
    kind, (lo, hi) = truth["exercise"], truth["acceptable_range"]
    frames = len([f for f in os.listdir(os.path.join(folder, "frames")) if f.endswith(".jpg")])
    os.makedirs(os.path.join(cache, case), exist_ok=True)
    rate = "30000/1001" if abs(fps - 30000 / 1001) < 0.01 else f"{fps:g}"
    source = made(os.path.join(cache, case, "source.mp4"), lambda t: ffmpeg(
        "-framerate", rate, "-i", os.path.join(folder, "frames", "%05d.jpg"), *h264(12), t))
    started = time.monotonic()
    cells, fails, notes, good_cells = [], [], [], {}
    for column in chosen:
        path = os.path.join(folder, "frames") if column == "jpegs" else variant(column, case, kind, source)
        stale = False
        if column == "rot90":
            ok, line = rotation_check(path, source)
            if not ok:
                stale = True  # a stale or wrong cached file: made again next run
                fails.append(f"{case} rot90: {line}")
            notes.append(f"{case:24} rot90: {line}")
        parts = []
        results, straight = cell(case, column, path, kind, fps)
        if column == direct_check and column != "jpegs":
            # One column per case counted straight from the video too (the modes not counted
            # so already): the cached frames must give exactly what `buddy count VIDEO` gives.
            direct = [result if done else buddy_count(path, mode, [])
                      for result, done, mode in zip(results, straight, ("auto", kind))]
            if direct != results:
                fails.append(f"{case} {column}: counted from the video {direct}, from the cached "
                             f"frames {results} (delete {os.path.join(cache, case)}/pose-*)")
        for forced, result in zip((False, True), results):
            reps, right = counted(result, kind)
            good = reps is not None and lo <= reps <= hi
            good_cells[(column, forced)] = good
            if not good:
                fails.append(f"{case} {HEADINGS.get(column, column)} {'forced' if forced else 'auto'}: "
                             + ("error" if reps is None else f"{reps}{'' if right else ' (wrong exercise)'}")
                             + f", range {lo}-{hi}")
            parts.append("E" if reps is None else f"{reps}{'' if right else 'w'}{'' if good else '*'}")
        cells.append("/".join(parts))
        if stale:
            os.remove(path)
    row = (f"{case:24} {truth['reps']:>5} {f'{lo}-{hi}':>6} {frames:>6} "
           + " ".join(f"{c:>{width}}" for c in cells))
    return row, fails, notes, good_cells, time.monotonic() - started


with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    for case, (row, fails, notes, good_cells, seconds) in zip(names, pool.map(run_case, names)):
        print(row, flush=True)
        print(f"  {case}: {seconds:.0f} s", file=sys.stderr)
        failures += fails
        checks += notes
        for (column, forced), good in good_cells.items():
            inside[column][forced] += good
n = len(names)
for forced in (False, True):
    label = "in range, forced" if forced else "in range, auto"
    print(f"{label:24} {'':>5} {'':>6} {'':>6} "
          + " ".join(f"{f'{inside[c][forced]}/{n}':>{width}}" for c in chosen))
if checks:
    print("\nrotation (ffprobe of rot90.mp4; ffmpeg autorotates on decode, as buddy's pipe does):")
    print("\n".join(checks))
print(f"\n{'all counts inside their range' if not failures else 'outside range or failed:'}")
for failure in failures:
    print(f"  {failure}")
sys.exit(1 if failures else 0)
PY
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
inside, exact, detected_right, agree = 0, 0, 0, 0
errors = {}
print(f"{'case':24} {'exercise':9} {'truth':>5} {'range':>7} {'ours':>5} {'forced':>6} {'partial':>7}  in-range  detected (confidence)")
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
    named = subprocess.run([binary, "count", "--exercise", kind, "--format", "json",
                            os.path.join(folder, "landmarks.json")], capture_output=True, text=True)
    forced = json.loads(named.stdout)["reps"] if named.returncode == 0 else -1
    agree += forced == ours
    ok = lo <= ours <= hi
    inside += ok
    exact += ours == truth["reps"]
    detected = result.get("detected") or {}
    right = result["exercise"] == kind and detected.get("exercise") == kind
    detected_right += right
    errors.setdefault(kind, []).append(abs(ours - truth["reps"]) / truth["reps"] * 100 if truth["reps"] else 0.0)
    print(f"{case:24} {kind:9} {truth['reps']:>5} {f'{lo}-{hi}':>7} {ours:>5} {forced:>6} {result['partial_reps']:>7}  "
          f"{'yes' if ok else 'NO':8}  {detected.get('exercise', '-')} ({detected.get('confidence', 0)})"
          f"{'' if right else '  WRONG'}")
n = len(cases)
print(f"\ninside range: {inside}/{n}   exact: {exact}/{n}   auto-detection: {detected_right}/{n} right"
      f"   auto = --exercise: {agree}/{n}")
for kind, values in sorted(errors.items()):
    print(f"mean absolute error, {kind}: {sum(values)/len(values):.1f}% over {len(values)} cases")
sys.exit(0 if inside == n and detected_right == n and agree == n else 1)
PY
