#!/usr/bin/env bash
# Counts every case of the shared real-data set (push-ups and jump rope) with `--exercise auto`
# and compares the count and the detected exercise with the ground truth.
#
#   scripts/eval-realdata.sh [BUDDY_BINARY]
#
# Builds the release binary unless one is given (or $BUDDY_BIN is set). Prints one row per case
# (ground truth, accepted range, our count, whether it is in range, detected exercise) and
# totals: inside range, mean absolute error per exercise, auto-detection accuracy. Exits 1 when
# a case falls outside its accepted range or is detected as the wrong exercise, 0 otherwise, and 0 with "skipped: …" when the data set
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
