#!/usr/bin/env bash
# Where the pose models stand against this CPU's limit: `pose-bench roofline` (release build)
# measures the arithmetic peak of one core and of two with register-only loops (fused
# multiply-add and separate multiply + add, 8-lane AVX2 vectors, per second of thread CPU time)
# and prints, per model (detector; landmarks without the segmentation branch, as the pipeline
# runs it) and per layer kind, the multiply-adds per inference, the time (each layer's best of
# RUNS in thread CPU time, summed), the achieved GFLOP/s and the fraction of both peaks; then
# the whole inference on one thread and on two (wall clock, median and best of RUNS).
# The machine is shared: thread CPU time and the best of many runs leave out the time other
# work takes, not the caches it evicts, so small layers still vary by ±20 % between runs.
# Usage: scripts/bench-roofline.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pose-bench >&2
exec "$(swift build -c release --show-bin-path)/pose-bench" roofline "${1:-30}"
