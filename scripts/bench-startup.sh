#!/usr/bin/env bash
# Start-up of the pose runtime (issue 21 point 3), release build:
#  * model load stages per model (parse, check, densify, dequantize, plan, pack, model hash,
#    cache map, cache write; ms) cold (no packed-weight cache) and warm (cache present), from
#    `buddy pose`'s debug log;
#  * time from process start (the spawn, measured here) to the first inference start and to
#    the first landmarks, cold and warm;
#  * `buddy count` on a 5-second clip (made with ffmpeg from the dev frames of
#    ../shared/realdata/cases/pushup-pushfit-c109, 75 frames at 15 fps) end to end, warm, next
#    to pure inference on the same frames (`pose-bench pipeline`: frames decoded beforehand,
#    models loaded beforehand, PosePipeline.process only), with the same threads: the best
#    and median round of one process, and, next to it, the first round of fresh processes
#    (run between the `buddy count` runs; one `buddy count` is always a first round: fresh
#    memory, fresh thread team); and when the first inference starts in `buddy count` (after
#    ffprobe, if it runs, and ffmpeg's first frame), and with two threads the floor: end to end
#    CPU over two cores against pure inference (the ratio cannot beat it).
# The machine is shared and noisy: each measurement runs BUDDY_BENCH_ROUNDS (default 5)
# times; best and median are printed.
# Usage: scripts/bench-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data="${REALDATA_DIR:-../shared/realdata}"
[[ -d "$data/cases/pushup-pushfit-c109/frames" ]] || { echo "skipped: $data not found"; exit 0; }
command -v ffmpeg >/dev/null || { echo "skipped: ffmpeg not installed"; exit 0; }
swift build -c release --product buddy >&2
swift build -c release --product pose-bench >&2
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d /tmp/buddy-bench-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT
frames="$data/cases/pushup-pushfit-c109/frames"
ffmpeg -v error -framerate 15 -i "$frames/%05d.jpg" -c:v libx264 -pix_fmt yuv420p -r 15 \
  "$work/clip.mp4"
mkdir -p "$work/clip-frames"
ffmpeg -v error -i "$work/clip.mp4" -q:v 2 "$work/clip-frames/%05d.jpg"

python3 - "$bin" "$work" "$frames" "${BUDDY_BENCH_ROUNDS:-5}" <<'PY'
import json, os, re, resource, shutil, statistics, subprocess, sys, time
bin, work, frames, rounds = sys.argv[1], sys.argv[2], sys.argv[3], max(int(sys.argv[4]), 1)
buddy = os.path.join(bin, "buddy")
cache = os.path.join(work, "cache")
env = dict(os.environ, XDG_CACHE_HOME=cache, BUDDY_LOG="debug")
one_frame = os.path.join(frames, "00001.jpg")

def clear_packed():
    folder = os.path.join(cache, "exercise-buddy")
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.startswith("packed-"):
                os.remove(os.path.join(folder, name))

def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000

def run(arguments):
    cpu = children_cpu()
    start = time.time()
    result = subprocess.run([buddy] + arguments, env=env, capture_output=True, text=True)
    end = time.time()
    run.cpu = children_cpu() - cpu  # buddy and the ffmpeg it waited for
    if result.returncode != 0:
        sys.exit(f"buddy {' '.join(arguments)} failed: {result.stderr}")
    stages, marks = {}, {}
    for line in result.stderr.splitlines():
        m = re.search(r"load (\S+) \((cold|warm)\): (.*) ms; total ([0-9.]+) ms", line)
        if m:
            stages[m.group(1)] = {k: float(v) for k, v in
                                  (p.rsplit(" ", 1) for p in m.group(3).split(", "))}
            stages[m.group(1)]["total"] = float(m.group(4))
        m = re.search(r"startup: (first inference starts|first landmarks) at ([0-9.]+) "
                      r"\(process CPU ([0-9.]+) ms\)", line)
        if m:
            marks[m.group(1)] = (float(m.group(2)) - start) * 1000
            marks[m.group(1) + " cpu"] = float(m.group(3))
    return stages, marks, (end - start) * 1000, result.stdout

def summary(values):
    values = sorted(values)
    return f"best {values[0]:7.1f}  median {statistics.median(values):7.1f}  (n={len(values)})"

# The model integrity verdicts are cached too; make them once so cold means "no packed weights".
run(["pose", "--fps", "15", one_frame])
for state in ("cold", "warm"):
    loads, first, landmarks, walls, first_cpu, landmarks_cpu = {}, [], [], [], [], []
    for _ in range(rounds):
        if state == "cold":
            clear_packed()
        stages, marks, wall, _ = run(["pose", "--fps", "15", one_frame])
        for model, times in stages.items():
            for stage, ms in times.items():
                loads.setdefault(model, {}).setdefault(stage, []).append(ms)
        first.append(marks["first inference starts"])
        landmarks.append(marks["first landmarks"])
        first_cpu.append(marks["first inference starts cpu"])
        landmarks_cpu.append(marks["first landmarks cpu"])
        walls.append(wall)
    print(f"== {state} ({'no packed-weight cache' if state == 'cold' else 'cache present'}), buddy pose on one frame")
    for model, times in loads.items():
        print(f"  {model}: " + ", ".join(
            f"{stage} {min(v):.1f}" for stage, v in times.items() if max(v) > 0) + " ms (best of each)")
    print(f"  process start -> first inference start: {summary(first)} ms")
    print(f"  process start -> first landmarks:       {summary(landmarks)} ms")
    print(f"  whole run:                              {summary(walls)} ms")
    print(f"  process CPU used by the first inference start: {summary(first_cpu)} ms")
    print(f"  process CPU used by the first landmarks:       {summary(landmarks_cpu)} ms")

clip = os.path.join(work, "clip.mp4")
for threads in ("1", "2"):
    count, count_cpu, count_first, fresh, fresh_cpu = [], [], [], [], []
    for _ in range(rounds):
        _, marks, wall, out = run(["count", "--exercise", "push-up", "--threads", threads, "--format", "json", clip])
        count.append(wall)
        count_cpu.append(run.cpu)
        count_first.append(marks["first inference starts"])
        one = subprocess.run([os.path.join(bin, "pose-bench"), "pipeline", os.path.join(work, "clip-frames"),
                              "15", threads, "1"], env=env, capture_output=True, text=True, check=True)
        fresh.append(json.loads(one.stdout)["best_ms"])
        fresh_cpu.append(json.loads(one.stdout)["best_cpu_ms"])
    reps = json.loads(out).get("reps") if out.strip().startswith("{") else None
    bench = subprocess.run([os.path.join(bin, "pose-bench"), "pipeline", os.path.join(work, "clip-frames"),
                            "15", threads, str(rounds)], env=env, capture_output=True, text=True, check=True)
    pure = json.loads(bench.stdout)
    print(f"== buddy count on a 5-second clip (75 frames, 15 fps, --threads {threads}, warm cache), reps {reps}")
    print(f"  end to end wall:      {summary(count)} ms")
    print(f"  process start -> first inference start: {summary(count_first)} ms")
    print(f"  pure inference wall:  best {pure['best_ms']:7.1f}  median {pure['median_ms']:7.1f}  (n={pure['rounds']}, {pure['frames']} frames)")
    print(f"  end to end CPU (with ffmpeg): {summary(count_cpu)} ms")
    print(f"  end to end CPU per frame (buddy + ffmpeg + ffprobe): best {min(count_cpu) / pure['frames']:.2f}  "
          f"median {statistics.median(count_cpu) / pure['frames']:.2f} ms")
    print(f"  pure inference CPU:   best {pure['best_cpu_ms']:7.1f}  median {pure['median_cpu_ms']:7.1f}")
    print(f"  ratio end to end / pure inference (target <= 1.3): wall best/best "
          f"{min(count) / pure['best_ms']:.2f}, median/median {statistics.median(count) / pure['median_ms']:.2f}; "
          f"CPU best/best {min(count_cpu) / pure['best_cpu_ms']:.2f}, "
          f"median/median {statistics.median(count_cpu) / pure['median_cpu_ms']:.2f}")
    if threads == "2":
        # Even packed perfectly on two cores, end to end takes at least its CPU / 2.
        print(f"  floor on two cores (end to end CPU / 2 / pure inference wall): best/best "
              f"{min(count_cpu) / 2 / pure['best_ms']:.2f}, median/median "
              f"{statistics.median(count_cpu) / 2 / pure['median_ms']:.2f}")
    print(f"  pure inference, first round of a fresh process: wall {summary(fresh)}, CPU {summary(fresh_cpu)} ms")
    print(f"  ratio end to end / first-round pure inference: wall best/best {min(count) / min(fresh):.2f}, "
          f"median/median {statistics.median(count) / statistics.median(fresh):.2f}")
PY
