#!/usr/bin/env bash
# Where a video's `buddy count` spends its time (issue 21 point 3), release build: per run of
# `buddy count --threads T` on the 5-second clip of bench-startup.sh (75 frames at 15 fps,
# warm packed-weight cache), traced with `perf record` (scheduler and write events, all CPUs):
#  * a timeline in ms from buddy's exec: ffprobe exec/exit (when it runs: an MP4 whose header
#    buddy fully understands starts none), ffmpeg exec, ffmpeg's first and last write of frames,
#    buddy's first inference start and first landmarks (its BUDDY_LOG=debug milestones),
#    ffmpeg's exit, buddy's exit;
#  * CPU ms per process (buddy, ffprobe, ffmpeg), from the scheduler's switch events.
# Prints each run and the median of each column, for --threads 1 and 2. The tracing costs some
# CPU itself: compare runs of this script with each other, not with bench-startup's numbers.
# Needs perf and the right to trace every CPU (root, or perf_event_paranoid <= -1).
# Usage: scripts/bench-video-timeline.sh [BUDDY_BINARY]       (BUDDY_BENCH_ROUNDS, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${REALDATA_DIR:-../shared/realdata}"
[[ -d "$data/cases/pushup-pushfit-c109/frames" ]] || { echo "skipped: $data not found"; exit 0; }
command -v ffmpeg >/dev/null || { echo "skipped: ffmpeg not installed"; exit 0; }
command -v perf >/dev/null || { echo "skipped: perf not installed"; exit 0; }
if [[ $# -ge 1 ]]; then
  buddy=$(realpath "$1")
else
  swift build -c release --product buddy >&2
  buddy="$(swift build -c release --show-bin-path)/buddy"
fi
work=$(mktemp -d /tmp/buddy-bench-timeline.XXXXXX)
trap 'rm -rf "$work"' EXIT
perf record -q -a -o "$work/probe.perf" -e sched:sched_process_exec -- /bin/true 2>/dev/null \
  || { echo "skipped: perf cannot trace all CPUs here"; exit 0; }
ffmpeg -v error -framerate 15 -i "$data/cases/pushup-pushfit-c109/frames/%05d.jpg" \
  -c:v libx264 -pix_fmt yuv420p -r 15 "$work/clip.mp4"

python3 - "$buddy" "$work" "${BUDDY_BENCH_ROUNDS:-5}" <<'PY'
import collections, os, re, statistics, subprocess, sys, time
buddy, work, rounds = sys.argv[1], sys.argv[2], max(int(sys.argv[3]), 1)
env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"), BUDDY_LOG="debug")
clip = os.path.join(work, "clip.mp4")
data = os.path.join(work, "run.perf")
events = ("sched:sched_process_exec,sched:sched_process_exit,sched:sched_process_fork,"
          "sched:sched_switch,syscalls:sys_enter_write")
line_re = re.compile(r"\s*(.+?)\s+(\d+)/(\d+)\s+([0-9.]+):\s+(\S+):\s*(.*)")

def traced(threads):
    offset = time.time() - time.monotonic()  # buddy's milestones are wall-clock times
    run = subprocess.run(
        ["perf", "record", "-q", "-a", "-k", "monotonic", "-o", data, "-e", events, "--",
         buddy, "count", "--exercise", "push-up", "--threads", threads, "--format", "json", clip],
        env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"buddy count failed: {run.stderr}")
    marks = {}
    for line in run.stderr.splitlines():
        m = re.search(r"startup: (first inference starts|first landmarks) at ([0-9.]+)", line)
        if m:
            marks[m.group(1)] = float(m.group(2)) - offset
    script = subprocess.run(["perf", "script", "-i", data, "-F", "comm,pid,tid,time,event,trace"],
                            capture_output=True, text=True).stdout
    names, execs, exits, tgid, first, last = {}, {}, {}, {}, {}, {}
    ran, since = collections.Counter(), {}
    root = None
    for line in script.splitlines():
        m = line_re.match(line)
        if not m:
            continue
        pid, tid, t, event, rest = int(m.group(2)), int(m.group(3)), float(m.group(4)), m.group(5), m.group(6)
        tgid[tid] = pid
        if event.endswith("sched_process_exec"):
            filename = re.search(r"filename=(\S+)", rest).group(1)
            if root is None and filename == buddy:
                root = pid
                names[pid], execs[pid] = "buddy", t
            elif pid in names or tgid.get(pid) in names or pid in forked:
                names[pid], execs[pid] = os.path.basename(filename), t
        elif event.endswith("sched_process_fork"):
            m2 = re.search(r"child_pid=(\d+)", rest)
            if m2 and pid in names:
                forked.add(int(m2.group(1)))
        elif event.endswith("sched_process_exit"):
            if pid in names and tid == pid:
                exits[pid] = t
        elif event.endswith("sched_switch"):
            m2 = re.search(r"prev_pid=(\d+).*next_pid=(\d+)", rest)
            previous, following = int(m2.group(1)), int(m2.group(2))
            if previous in since:
                ran[previous] += t - since.pop(previous)
            since[following] = t
        elif event.endswith("sys_enter_write"):
            if names.get(pid) == "ffmpeg" and "fd: 0x00000001" in rest:
                first.setdefault(pid, t)
                last[pid] = t
    os.remove(data)
    if root is None:
        sys.exit("buddy's exec was not traced")
    start = execs[root]
    row = {}
    for pid, name in names.items():
        if pid == root:
            continue
        if name + " exec" in row:
            name += " (again)"
        row[name + " exec"] = execs[pid]
        if pid in first:
            row[name + " first frame written"] = first[pid]
            row[name + " last frame written"] = last[pid]
        if pid in exits:
            row[name + " exit"] = exits[pid]
    for mark, t in marks.items():
        row["buddy " + mark] = t
    row["buddy exit"] = exits.get(root, start)
    row = {k: (v - start) * 1000 for k, v in sorted(row.items(), key=lambda kv: kv[1])}
    cpu = collections.Counter()
    for tid, seconds in ran.items():
        if tgid.get(tid) in names:
            cpu[names[tgid[tid]]] += seconds * 1000
    return row, cpu

for threads in ("1", "2"):
    rows, cpus = [], []
    print(f"== buddy count --threads {threads}, 75 frames at 15 fps, warm cache; load {os.getloadavg()[0]:.1f}")
    for _ in range(rounds):
        forked = set()
        row, cpu = traced(threads)
        rows.append(row)
        cpus.append(cpu)
        print("  " + ", ".join(f"{k} {v:.0f}" for k, v in row.items()))
        print("    CPU ms: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(cpu.items())))
    keys = [k for k in rows[0] if all(k in r for r in rows)]
    keys.sort(key=lambda k: statistics.median(r[k] for r in rows))
    print("  median: " + ", ".join(f"{k} {statistics.median(r[k] for r in rows):.0f}" for k in keys))
    names = sorted({k for c in cpus for k in c})
    print("  median CPU ms: " + ", ".join(
        f"{k} {statistics.median(c.get(k, 0) for c in cpus):.0f}" for k in names))
PY
