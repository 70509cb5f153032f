#!/usr/bin/env bash
# Benchmark (not a timed test): the cost of starting `buddy` (issue 21 point 4).
#
#   scripts/bench.sh process-start [BUDDY_BINARY [BEFORE_BINARY]]
#
# Runs `buddy --version` and `buddy count` of a one-frame JSON Lines file BENCH_RUNS times
# (default 60) and prints the CPU time (user + sys) and minor page faults per run, median and
# best, and the shared libraries the dynamic loader maps. With BEFORE_BINARY (e.g. a release
# build of an older commit) both are run alternately, so load on the machine hits both alike.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-${BUDDY_BIN:-}}"
before="${2:-}"
if [[ -z "$binary" ]]; then
  (cd "$root" && swift build -c release --product buddy >&2)
  binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
fi
work="$(mktemp -d /tmp/buddy-start.XXXXXX)"
trap 'rm -rf "$work"' EXIT
printf '{"t": 0, "landmarks": null}\n' > "$work/one-frame.jsonl"

exec python3 - "$binary" "$before" "$work/one-frame.jsonl" "${BENCH_RUNS:-60}" <<'PY'
import os, resource, statistics, subprocess, sys

binary, before, frame, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
binaries = [("after", binary)] + ([("before", before)] if before else [])
commands = [("--version", ["--version"]),
            ("count, one frame", ["count", "--exercise", "push-up", frame])]

def libraries(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return len([line for line in out.splitlines() if "=>" in line or "ld-linux" in line])

samples = {(name, label): [] for name, _ in binaries for label, _ in commands}
for _ in range(runs):
    for name, path in binaries:
        for label, arguments in commands:
            start = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([path] + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True)
            end = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime) * 1000
            samples[(name, label)].append((cpu, end.ru_minflt - start.ru_minflt))

print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {runs} runs each, alternating")
print(f"{'binary':8} {'command':18} {'CPU ms median':>14} {'best':>7} {'faults':>7} {'libraries':>10}")
for name, path in binaries:
    for label, _ in commands:
        cpu = [c for c, _ in samples[(name, label)]]
        faults = [f for _, f in samples[(name, label)]]
        print(f"{name:8} {label:18} {statistics.median(cpu):14.2f} {min(cpu):7.2f} "
              f"{statistics.median(faults):7.0f} {libraries(path):10d}")
PY
