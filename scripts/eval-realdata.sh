#!/usr/bin/env bash
# Counts every push-up case of the shared real-data set and compares with the ground truth.
#
#   scripts/eval-realdata.sh [BUDDY_BINARY]
#
# Builds the release binary unless one is given (or $BUDDY_BIN is set). Prints one row per case
# (ground truth, accepted range, our count, whether it is in range) and totals. Exits 1 when a
# case falls outside its accepted range, 0 otherwise, and 0 with "skipped: …" when the data set
# (../shared/realdata relative to the repository root) is absent.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${REALDATA_DIR:-$root/../shared/realdata}"
if [[ ! -d "$data/cases" ]]; then
  echo "skipped: ../shared/realdata not found"
  exit 0
fi

binary="${1:-${BUDDY_BIN:-}}"
if [[ -z "$binary" ]]; then
  (cd "$root" && swift build -c release --product buddy >&2)
  binary="$(cd "$root" && swift build -c release --show-bin-path)/buddy"
fi

python3 - "$binary" "$data" <<'PY'
import json, os, subprocess, sys
binary, data = sys.argv[1], sys.argv[2]
cases = sorted(d for d in os.listdir(os.path.join(data, "cases")) if d.startswith("pushup-"))
rows, inside, exact, errors = [], 0, 0, []
print(f"{'case':24} {'truth':>5} {'range':>7} {'ours':>5} {'partial':>7}  in-range")
for case in cases:
    folder = os.path.join(data, "cases", case)
    truth = json.load(open(os.path.join(folder, "gt.json")))
    lo, hi = truth["acceptable_range"]
    run = subprocess.run([binary, "count", "--exercise", "push-up", "--format", "json",
                          os.path.join(folder, "landmarks.json")], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{case:24} {truth['reps']:>5} {f'{lo}-{hi}':>7} {'ERR':>5} {'':>7}  no  ({run.stderr.strip()})")
        errors.append(100.0)
        continue
    result = json.loads(run.stdout)
    ours = result["reps"]
    ok = lo <= ours <= hi
    inside += ok
    exact += ours == truth["reps"]
    errors.append(abs(ours - truth["reps"]) / truth["reps"] * 100 if truth["reps"] else 0.0)
    print(f"{case:24} {truth['reps']:>5} {f'{lo}-{hi}':>7} {ours:>5} {result['partial_reps']:>7}  {'yes' if ok else 'NO'}")
n = len(cases)
print(f"\ninside range: {inside}/{n}   exact: {exact}/{n}   mean absolute error: {sum(errors)/max(n,1):.1f}%")
sys.exit(0 if inside == n else 1)
PY
