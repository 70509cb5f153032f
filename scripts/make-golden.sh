#!/usr/bin/env bash
# Makes the golden vectors of the pose runtime with TFLite's reference kernels
# (../shared/blazepose/golden.py in a virtualenv with tflite-runtime 2.14 and numpy<2).
#
#   scripts/make-golden.sh [OUT_DIR]            full golden set (default: .build/pose-golden);
#                                               skipped when OUT_DIR already holds a set made
#                                               from the installed models (--force remakes it)
#   scripts/make-golden.sh --update-fixtures    also rewrites the small committed subset
#                                               in Tests/PoseEstimationTests/Fixtures/golden
#
# Cases: random, gray, and "person" (the detector and landmark inputs that
# ref_pipeline.py crops from a real frame; the frame itself is never copied into the
# repository). Needs the models (scripts/fetch-pose-models.sh) and python3 with venv.
# Environment: BUDDY_MODEL_DIR, BUDDY_GOLDEN_VENV (default ~/.cache/exercise-buddy/golden-venv),
# BUDDY_BLAZEPOSE_DIR (golden.py, ref_pipeline.py; default ../shared/blazepose next to the
# repository), BUDDY_PERSON_FRAME (a JPEG with one person).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
update_fixtures=0
force=0
out="$root/.build/pose-golden"
for arg in "$@"; do
  case "$arg" in
    --update-fixtures) update_fixtures=1 ;;
    --force) force=1 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) out="$arg" ;;
  esac
done

log() { printf 'make-golden: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

model_dir="${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}"
det="$model_dir/pose_detection.tflite"
lm="$model_dir/pose_landmark_full.tflite"
[[ -f "$det" && -f "$lm" ]] || die "models missing in $model_dir: run scripts/fetch-pose-models.sh"

if [[ "$force" == 0 && "$update_fixtures" == 0 && -f "$out/index.json" ]] &&
  grep -q "$(sha256sum "$det" | cut -d' ' -f1)" "$out/index.json" &&
  grep -q "$(sha256sum "$lm" | cut -d' ' -f1)" "$out/index.json"; then
  log "golden set in $out is up to date (use --force to remake it)"
  exit 0
fi

blazepose="${BUDDY_BLAZEPOSE_DIR:-}"
if [[ -z "$blazepose" ]]; then
  for candidate in "$root/../shared/blazepose" "$root/../../shared/blazepose" /work/shared/blazepose; do
    if [[ -f "$candidate/golden.py" ]]; then blazepose="$candidate"; break; fi
  done
fi
[[ -n "$blazepose" && -f "$blazepose/golden.py" ]] || die "golden.py not found: set BUDDY_BLAZEPOSE_DIR"

venv="${BUDDY_GOLDEN_VENV:-$HOME/.cache/exercise-buddy/golden-venv}"
if ! "$venv/bin/python" -c 'import tflite_runtime, numpy, PIL' >/dev/null 2>&1; then
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing python3-pip and python3-venv with apt-get (to make the virtualenv)"
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-pip python3-venv >&2
    else
      die "python3-venv is needed (as root: apt-get install python3-venv)"
    fi
  fi
  log "creating the virtualenv $venv (about 130 MB: tflite-runtime 2.14.0, numpy<2, pillow)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'tflite-runtime==2.14.0' 'numpy<2' pillow >&2
fi
py="$venv/bin/python"

frame="${BUDDY_PERSON_FRAME:-}"
if [[ -z "$frame" ]]; then
  for candidate in "$root/../shared/realdata/cases/pushup-pushfit-c11/frames/00001.jpg" \
    /work/shared/realdata/cases/pushup-pushfit-c11/frames/00001.jpg; do
    if [[ -f "$candidate" ]]; then frame="$candidate"; break; fi
  done
fi

rm -rf "$out"
mkdir -p "$out"
extra=()
if [[ -n "$frame" && -f "$frame" ]]; then
  log "person case from $frame"
  "$py" "$blazepose/ref_pipeline.py" --det "$det" --lm "$lm" --frames "$frame" --static \
    --save-tensors "$out/person-inputs" >&2
  extra=(--extra "person=$out/person-inputs/det_input.npy")
  if [[ -f "$out/person-inputs/lm_input.npy" ]]; then
    extra+=(--extra "person=$out/person-inputs/lm_input.npy")
  fi
else
  log "no person frame found (set BUDDY_PERSON_FRAME): cases random and gray only"
fi

log "running golden.py into $out"
"$py" "$blazepose/golden.py" --det "$det" --lm "$lm" --out "$out" \
  --first-ops 0 --max-op-test-mb 8 "${extra[@]}" >&2

if [[ "$update_fixtures" == 1 ]]; then
  fixtures="$root/Tests/PoseEstimationTests/Fixtures/golden"
  "$py" "$root/scripts/golden-fixtures.py" "$out" "$fixtures"
  log "fixtures written to $fixtures"
fi
log "done: $out"
