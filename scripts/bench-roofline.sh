#!/usr/bin/env bash
# Where the pose models stand against this CPU's limit: `pose-bench roofline` (release build)
# names the pose kernels in use (AVX2 or AVX-512: the fastest this CPU runs, or BUDDY_POSE_ISA),
# measures the arithmetic peak of one core and of two with register-only loops compiled for
# each instruction set the CPU runs (fused multiply-add and separate multiply + add; 8-lane
# AVX2 and 16-lane AVX-512 vectors; per second of thread CPU time) and prints, for the kernels
# in use, per model (detector; landmarks without the segmentation branch, as the pipeline
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
