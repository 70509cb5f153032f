#!/usr/bin/env bash
# Prints the pose cache key of `scripts/eval-realdata.sh --variants`: 12 hex digits that follow
# the frames our pose gives, not the code that gives them.
#
#   scripts/pose-cache-key.sh BUDDY_BINARY FRAMES_DIR WORK_DIR
#
# The key hashes what `buddy count --dump-frames` (the file the cache keeps) writes for a short
# fixed probe: the first 40 JPEG frames of FRAMES_DIR (one clip with a person), counted
#   - from the JPEG frames (--fps 30, --exercise jump-rope) with --threads 1 and with --threads 2
#     (the two dumps must be identical: the sweep runs one or several threads),
#   - from a video ffmpeg makes of them (H.264 crf 23, mirrored, stored sideways with a display
#     matrix, so decoding, autorotation and the frame size are in the probe), with --exercise
#     auto (decoded at the detection rate) and with --exercise push-up (decoded at 15 fps),
# together with the SHA-256 of the model files (BUDDY_MODEL_DIR, else
# $XDG_DATA_HOME/exercise-buddy/models) and ffmpeg's version (it makes and decodes the videos).
# A refactor that leaves the frames bit for bit the same (kernels moved to another module, a
# comment, a faster loop) keeps the key and the cache; a change of any number on the probe makes
# a new key. Limit: a change that shows only after the probe's 40 frames (1.3 s at 30 fps) is not
# seen here; the sweep's --direct-check column (a video counted straight, compared with its
# cached frames) is the net for that.
#
# WORK_DIR holds the probe's files (made again on every run). Exits 1 with one line on stderr
# when a probe run fails or the thread counts disagree.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: scripts/pose-cache-key.sh BUDDY_BINARY FRAMES_DIR WORK_DIR" >&2
  exit 64
fi
binary="$1"
frames="$2"
work="$3"
probe_frames=40

rm -rf "$work"
mkdir -p "$work/frames"
mapfile -t jpegs < <(find "$frames" -maxdepth 1 -name '*.jpg' | sort | head -n "$probe_frames")
if [[ ${#jpegs[@]} -lt $probe_frames ]]; then
  echo "pose-cache-key: $frames has ${#jpegs[@]} JPEG frames, the probe needs $probe_frames" >&2
  exit 1
fi
for i in "${!jpegs[@]}"; do
  ln -s "$(realpath "${jpegs[$i]}")" "$(printf '%s/frames/%05d.jpg' "$work" $((i + 1)))"
done
ffmpeg -nostdin -v error -y -framerate 30 -i "$work/frames/%05d.jpg" -vf hflip,transpose=cclock \
  -an -c:v libx264 -crf 23 -pix_fmt yuv420p "$work/sideways.mp4"
ffmpeg -nostdin -v error -y -i "$work/sideways.mp4" -c copy -metadata:s:v:0 rotate=90 \
  "$work/probe.mp4"

# probe NAME ARGS...: one `buddy count --dump-frames` run of the probe.
probe() {
  local name="$1"
  shift
  if ! "$binary" count --format json --dump-frames "$work/$name.jsonl" "$@" \
    >"$work/$name.out" 2>"$work/$name.err"; then
    echo "pose-cache-key: probe $name (buddy count $*) failed: $(head -c 300 "$work/$name.err" | tr '\n' ' ')" >&2
    exit 1
  fi
}
probe jpegs-1 --fps 30 --exercise jump-rope --threads 1 "$work/frames"
probe jpegs-2 --fps 30 --exercise jump-rope --threads 2 "$work/frames"
if ! cmp -s "$work/jpegs-1.jsonl" "$work/jpegs-2.jsonl"; then
  echo "pose-cache-key: the probe's frames differ between --threads 1 and --threads 2" \
    "($work/jpegs-1.jsonl, $work/jpegs-2.jsonl); the cache assumes they do not" >&2
  exit 1
fi
probe video-auto --exercise auto --threads 2 "$work/probe.mp4"
probe video-push-up --exercise push-up --threads 1 "$work/probe.mp4"

models="${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}"
{
  sha256sum "$work/jpegs-1.jsonl" "$work/video-auto.jsonl" "$work/video-push-up.jsonl" |
    cut -d' ' -f1
  find "$models" -maxdepth 1 -type f -name '*.tflite' -print0 | sort -z | xargs -0 -r sha256sum |
    cut -d' ' -f1
  ffmpeg -version | head -1
} | sha256sum | cut -c1-12
