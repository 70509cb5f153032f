#!/usr/bin/env bash
# Fetches the two BlazePose models (Apache-2.0, Google) that Exercise Buddy runs:
# pose_detection.tflite and pose_landmark_full.tflite, taken from the PyPI wheel
# mediapipe==0.10.14, checked by SHA-256 (../shared/blazepose/spec.md §a.3) and
# installed into
#   ${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}
#
# Idempotent: when both files are present with the right hashes nothing is downloaded.
# Needs python3 with pip (installed with apt-get when missing and run as root).
# The repository never contains the model files.
set -euo pipefail

readonly WHEEL_VERSION="0.10.14"
readonly DETECTOR="pose_detection.tflite"
readonly DETECTOR_SHA256="9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
readonly DETECTOR_PATH="mediapipe/modules/pose_detection/pose_detection.tflite"
readonly LANDMARK="pose_landmark_full.tflite"
readonly LANDMARK_SHA256="e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
readonly LANDMARK_PATH="mediapipe/modules/pose_landmark/pose_landmark_full.tflite"

model_dir="${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}"

log() { printf 'fetch-pose-models: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

has_model() { # name expected-sha
  [[ -f "$model_dir/$1" ]] && [[ "$(sha256_of "$model_dir/$1")" == "$2" ]]
}

if has_model "$DETECTOR" "$DETECTOR_SHA256" && has_model "$LANDMARK" "$LANDMARK_SHA256"; then
  log "models present and verified in $model_dir"
  exit 0
fi

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -m pip --version >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing python3-pip and python3-venv with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-pip python3-venv >&2
    python=python3
  else
    die "python3 with pip is needed (as root: apt-get install python3-pip python3-venv)"
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/buddy-models.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "downloading mediapipe==$WHEEL_VERSION wheel from PyPI (about 35 MB)"
# A fixed platform and python tag: the .tflite files are the same in every wheel of a
# release, and pinning the tag makes the download independent of the local Python.
"$python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --platform manylinux_2_17_x86_64 --python-version 3.11 \
  --implementation cp --abi cp311 --dest "$work" "mediapipe==$WHEEL_VERSION" >&2

wheel="$(find "$work" -maxdepth 1 -name "mediapipe-$WHEEL_VERSION-*.whl" | head -n 1)"
[[ -n "$wheel" ]] || die "pip did not download the mediapipe $WHEEL_VERSION wheel"

# A wheel is a zip file; python's zipfile avoids depending on unzip.
"$python" - "$wheel" "$work" "$DETECTOR_PATH" "$LANDMARK_PATH" <<'PY'
import os, sys, zipfile
wheel, dest, *members = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        with z.open(m) as src, open(os.path.join(dest, os.path.basename(m)), "wb") as out:
            out.write(src.read())
PY

for pair in "$DETECTOR:$DETECTOR_SHA256" "$LANDMARK:$LANDMARK_SHA256"; do
  name="${pair%%:*}"
  want="${pair#*:}"
  got="$(sha256_of "$work/$name")"
  [[ "$got" == "$want" ]] || die "$name has SHA-256 $got, expected $want"
done

mkdir -p "$model_dir"
for name in "$DETECTOR" "$LANDMARK"; do
  # Copy then rename: a reader never sees a half-written model file.
  cp "$work/$name" "$model_dir/.$name.tmp"
  chmod 644 "$model_dir/.$name.tmp"
  mv -f "$model_dir/.$name.tmp" "$model_dir/$name"
done
log "installed $DETECTOR and $LANDMARK into $model_dir"
