#!/usr/bin/env bash
# Benchmarks (not timed tests).
#
#   scripts/bench.sh count [BUDDY_BINARY]     (or scripts/bench-count.sh [BUDDY_BINARY])
#
# `count`: generates a 10-minute, 30 fps push-up session (18,000 MediaPipe-33 frames with
# full-precision numbers, ~50 MB) as a JSON document and as JSON Lines, then measures the
# release `buddy count` end to end (BENCH_ROUNDS alternating rounds, default 7, each running
# every tool once so a noisy stretch of a shared machine hits them alike: median and best MB/s,
# frames/s, CPU seconds (user + sys of all threads) and MB per CPU second, peak RSS) with
# `--threads 1` and `--threads 2` (the file parsed in segments on two threads), next to a
# straightforward Python peer (json.load + an elbow-angle loop) in the same run, and checks
# that JSON Lines memory stays flat on a ~1 GB stream (BENCH_STREAM_MB, default 1024).
# BENCH_COPIES (default 1) repeats the session in the file, so start-up weighs less.
#
#   scripts/bench-count.sh scale [BUDDY_BINARY [BEFORE_BINARY]]
#
# `scale`: linearity (issue 16 point 6). Generates many-rep JSON Lines (BENCH_SCALE_MB, default
# "100 300"; a 15 fps fast push-up fixture looped, about 50 reps per MB), a 60 MB single-line
# frame and 100 MB of `yes ' '`, and times `buddy count` on each from a file and through
# `cat |` (best of BENCH_RUNS, default 1). With BEFORE_BINARY (e.g. a release build of an older
# commit in a `git worktree`) both are timed side by side. Linear means seconds per MB stays
# flat as the input grows, and a pipe costs what a file does.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "scale" ]]; then
  shift
  binary="${1:-${BUDDY_BIN:-}}"
  before="${2:-}"
  if [[ -z "$binary" ]]; then
    (cd "$root" && swift build -c release --product buddy >&2)
    binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
  fi
  work="${BENCH_DIR:-$(mktemp -d /tmp/buddy-scale.XXXXXX)}"
  mkdir -p "$work"
  [[ -n "${BENCH_DIR:-}" ]] || trap 'rm -rf "$work"' EXIT
  exec python3 - "$root" "$work" "$binary" "$before" "${BENCH_SCALE_MB:-100 300}" \
    "${BENCH_RUNS:-1}" <<'PY'
import json, os, subprocess, sys, time

root, work, binary, before, sizes, runs = sys.argv[1:7]
sizes, runs = [int(s) for s in sizes.split()], int(runs)
fixture = json.load(open(os.path.join(root, "Fixtures", "mp33-side-15fps-fast-no-lockout.json")))
frames, fps = fixture["frames"], fixture["fps"]
loop_reps, period = 12, frames[-1]["t"] + 1 / fps

def many_reps(mb):
    path = os.path.join(work, f"reps-{mb}mb.jsonl")
    if os.path.exists(path):
        return path
    with open(path, "w") as out:
        written, loop = 0, 0
        while written < mb * 1_000_000:
            chunk = []
            for f in frames:
                marks = "null" if f["landmarks"] is None else "[" + ",".join(
                    "[%.3f,%.3f,%.2f]" % (l[0], l[1], l[3]) for l in f["landmarks"]) + "]"
                chunk.append('{"t":%.4f,"landmarks":%s}\n' % (loop * period + f["t"], marks))
            text = "".join(chunk)
            out.write(text)
            written += len(text)
            loop += 1
    return path

def single_line(mb):
    path = os.path.join(work, f"line-{mb}mb.jsonl")
    if not os.path.exists(path):
        marks = json.dumps(next(f["landmarks"] for f in frames if f["landmarks"]))
        with open(path, "w") as out:
            out.write('{"t":0,"junk":"' + "a" * (mb * 1_000_000) + '","landmarks":' + marks + "}\n")
    return path

def timed(command):
    best, out = None, None
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    text = out.stdout.strip() or out.stderr.strip().splitlines()[-1]
    try:
        text = "%d reps" % json.loads(text)["reps"]
    except (ValueError, KeyError, TypeError):
        text = text.split(": ", 1)[-1] if out.returncode else text
        text = text.replace(work + "/", "")
    return best, text[:60]

count = "count --exercise push-up --format json"
cases = []
for mb in sizes:
    path = many_reps(mb)
    cases.append((f"{mb} MB, many reps", "file", f"{{b}} {count} {path}", os.path.getsize(path)))
    cases.append((f"{mb} MB, many reps", "cat |", f"cat {path} | {{b}} {count} -", os.path.getsize(path)))
line = single_line(60)
cases.append(("60 MB one-line frame", "file", f"{{b}} {count} {line}", os.path.getsize(line)))
cases.append(("60 MB one-line frame", "cat |", f"cat {line} | {{b}} {count} -", os.path.getsize(line)))
cases.append(("100 MB of yes ' '", "pipe", f"yes ' ' | head -c 100000000 | {{b}} {count} -", 100e6))

binaries = [("after", binary)] + ([("before", before)] if before else [])
print(f"buddy: {binary}" + (f"; before: {before}" if before else ""))
header = f"{'input':22} {'via':6}"
for name, _ in binaries:
    header += f" {name + ' s':>9} {'s/100MB':>8}"
print(header + "  result (after | before)")
for label, via, command, size in cases:
    row, results = f"{label:22} {via:6}", []
    for name, path in binaries:
        seconds, result = timed(command.format(b=path))
        row += f" {seconds:9.2f} {seconds / size * 1e8:8.2f}"
        results.append(result)
    print(row + "  " + " | ".join(results), flush=True)
PY
fi
binary="${1:-${BUDDY_BIN:-}}"
if [[ -z "$binary" ]]; then
  (cd "$root" && swift build -c release --product buddy >&2)
  binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time for peak-RSS measurement" >&2
  apt-get install -y time >/dev/null 2>&1 || true
fi
# BENCH_DIR keeps (and reuses) the generated inputs; otherwise they go to a temporary folder.
if [[ -n "${BENCH_DIR:-}" ]]; then
  work="$BENCH_DIR"
  mkdir -p "$work"
else
  work="$(mktemp -d /tmp/buddy-bench.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
fi

python3 - "$root" "$work" "$binary" "${BENCH_STREAM_MB:-1024}" "${BENCH_COPIES:-1}" <<'PY'
import json, math, os, random, resource, statistics, struct, subprocess, sys, time

root, work, binary, stream_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
FRAMES, FPS = 18000 * int(sys.argv[5]), 30.0

# --- Generate: loop a 30 fps synthetic fixture (6 reps in 15 s) 40 times, with float32
# noise so every number is written at full precision, as MediaPipe's Python API does.
template = json.load(open(os.path.join(root, "Fixtures", "mp33-side-30fps-steady.json")))
base = [f["landmarks"] for f in template["frames"]]
reps_per_loop = 6
loops = math.ceil(FRAMES / len(base))
rng = random.Random(7)
def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]
suffix = "" if FRAMES == 18000 else "-%d" % FRAMES
doc_path = os.path.join(work, "session%s.json" % suffix)
jsonl_path = os.path.join(work, "session%s.jsonl" % suffix)
plain_path = os.path.join(work, "untimed%s.jsonl" % suffix)
def generate():
  with open(doc_path, "w") as doc, open(jsonl_path, "w") as lines, open(plain_path, "w") as plain:
      doc.write('{"fps": 30.0, "width": 640, "height": 480, "source": "bench", "frames": [\n')
      for i in range(FRAMES):
          landmarks = base[i % len(base)]
          if landmarks is None:
              marks = "null"
          else:
              marks = json.dumps([[f32(v + rng.uniform(-1e-4, 1e-4)) for v in lm] for lm in landmarks],
                                 separators=(", ", ": "))
          body = '"landmarks": ' + marks
          frame = '{"t": ' + repr(i / FPS) + ", " + body + "}"
          doc.write(("" if i == 0 else ",\n") + frame)
          lines.write(frame + "\n")
          plain.write("{" + body + "}\n")
      doc.write("\n]}\n")
if not all(os.path.exists(p) for p in (doc_path, jsonl_path, plain_path)):
    generate()
expected = reps_per_loop * (FRAMES // len(base))
# The file ends inside a loop when FRAMES is not a multiple of the fixture's length: reps that
# this last part completes count too (5 copies: 1,140 in whole loops, 4 more in the last 320
# frames).
partial = FRAMES % len(base)
expected_text = f"{expected} reps in the {FRAMES // len(base)} whole loops" + (
    f", up to {math.ceil(partial / len(base) * reps_per_loop)} more in the last {partial} frames"
    if partial else "")

def run_timed(args, stdin_path=None):
    """Wall seconds, CPU seconds (user + sys of the child, all its threads) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdin_path or os.devnull, "rb") as stdin:
        out = subprocess.run(args, stdin=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}: {out.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, out.stdout

def peak_rss_mb(args, stdin_path=None, shell=None):
    if os.path.exists("/usr/bin/time"):
        if shell:
            out = subprocess.run(["bash", "-c", f"{shell} | /usr/bin/time -v {' '.join(args)} >/dev/null"],
                                 capture_output=True, text=True)
        else:
            with open(stdin_path or os.devnull, "rb") as stdin:
                out = subprocess.run(["/usr/bin/time", "-v"] + args, stdin=stdin, capture_output=True, text=True)
        for line in out.stderr.splitlines():
            if "Maximum resident set size" in line:
                return int(line.split(":")[1]) / 1024
    return float("nan")

peer = r'''
import json, math, sys
def angle(a, b, c):
    ux, uy, vx, vy = a[0] - b[0], a[1] - b[1], c[0] - b[0], c[1] - b[1]
    n = math.hypot(ux, uy) * math.hypot(vx, vy)
    return math.degrees(math.acos(max(-1.0, min(1.0, (ux * vx + uy * vy) / n)))) if n else 180.0
path = sys.argv[1]
if path.endswith(".jsonl"):
    frames = [json.loads(line) for line in open(path)]
else:
    frames = json.load(open(path))["frames"]
reps, down = 0, False
for frame in frames:
    lm = frame.get("landmarks")
    if not lm:
        continue
    a = (angle(lm[11], lm[13], lm[15]) + angle(lm[12], lm[14], lm[16])) / 2
    if a < 100 and not down:
        down = True
    elif a > 150 and down:
        down = False
        reps += 1
print(reps)
'''
peer_path = os.path.join(work, "peer.py")
open(peer_path, "w").write(peer)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))

def measure_alternating(tools, path):
    """Runs every tool once per round, ROUNDS rounds, so a noisy stretch of a shared machine
    hits each tool alike; wall and CPU seconds of every run, then the peak RSS of one more."""
    size = os.path.getsize(path) / 1e6
    runs = {name: ([], [], "") for name, _ in tools}
    for _ in range(ROUNDS):
        for name, args in tools:
            elapsed, cpu, output = run_timed(args)
            times, cpus, _ = runs[name]
            times.append(elapsed)
            cpus.append(cpu)
            runs[name] = (times, cpus, output)
    results = {}
    for name, args in tools:
        times, cpus, output = runs[name]
        median = statistics.median(times)
        best = min(times)
        cpu = statistics.median(cpus)
        results[name] = dict(
            name=name, size=size, median=median, best=best, mbps=size / median,
            best_mbps=size / best, fps=FRAMES / median, cpu=cpu, cpu_mbps=size / cpu,
            rss=peak_rss_mb(args), output=output.strip())
    return results

results = []
for kind, path in (("JSON document", doc_path), ("JSON Lines", jsonl_path)):
    count = [binary, "count", "--exercise", "push-up", "--format", "json"]
    measured = measure_alternating([
        ("buddy 1t", count + ["--threads", "1", path]),
        ("buddy 2t", count + ["--threads", "2", path]),
        ("python", [sys.executable, peer_path, path])], path)
    results.append((kind, measured["buddy 1t"], measured["buddy 2t"], measured["python"]))

print(f"input: {FRAMES} frames at 30 fps ({FRAMES / FPS / 60:.0f} min), expected {expected_text}; buddy: {binary}")
print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {ROUNDS} alternating rounds "
      "(BENCH_ROUNDS); CPU s = user + sys of all threads (median), MB/s CPU = MB / CPU s")
print(f"{'input':14} {'MB':>6} {'tool':8} {'median s':>9} {'MB/s':>8} {'best MB/s':>10} {'frames/s':>10} "
      f"{'CPU s':>7} {'MB/s CPU':>9} {'peak RSS MB':>12}  reps")
for kind, alone, two, theirs in results:
    for r in (alone, two, theirs):
        reps = json.loads(r["output"])["reps"] if r["name"] != "python" else r["output"]
        print(f"{kind:14} {r['size']:6.1f} {r['name']:8} {r['median']:9.3f} {r['mbps']:8.1f} {r['best_mbps']:10.1f} "
              f"{r['fps']:10.0f} {r['cpu']:7.3f} {r['cpu_mbps']:9.1f} {r['rss']:12.1f}  {reps}")
    print(f"{'':14} buddy/python speed ratio, medians: {theirs['median'] / alone['median']:.1f}x (1 thread), "
          f"{theirs['median'] / two['median']:.1f}x (2 threads); bests: {theirs['best'] / alone['best']:.1f}x, "
          f"{theirs['best'] / two['best']:.1f}x; by CPU time: {theirs['cpu'] / alone['cpu']:.1f}x (1 thread)")
    for statistic, key, ratio in (("median", "mbps", "median"), ("best", "best_mbps", "best")):
        bars = [("1 thread", alone[key], 1000), ("2 threads", two[key], 1600),
                ("x python 1 thread", theirs[ratio] / alone[ratio], 30),
                ("x python 2 threads", theirs[ratio] / two[ratio], 30)]
        print(f"{'':14} issue 21.4 bars, {statistic} of the rounds (wall, needs a quiet machine): " + "; ".join(
            f"{name} {value:.0f} {'>=' if value >= bar else '<'} {bar}" for name, value, bar in bars))

# --- Flat memory on a long JSON Lines stream (untimed frames, so copies can be concatenated).
copies = max(1, round(stream_mb * 1e6 / os.path.getsize(plain_path)))
cat = "cat " + " ".join([plain_path] * copies)
start = time.perf_counter()
rss = peak_rss_mb([binary, "count", "--exercise", "push-up", "--fps", "30", "-"], shell=cat)
elapsed = time.perf_counter() - start
total = os.path.getsize(plain_path) * copies / 1e6
print(f"JSON Lines stream of {total:.0f} MB through a pipe: peak RSS {rss:.1f} MB, {total / elapsed:.0f} MB/s end to end")
PY
