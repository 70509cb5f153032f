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
# First it lists the kernel functions in which the compiler left a vector load or store as a
# call to the standard library (`loadUnaligned`, `storeBytes`): such a call clobbers every
# vector register, so the sums around it are spilled (in the twelfth session one in
# `directGEMM` cost the AVX2 copy's first convolution 0.5 ms); needs objdump (binutils).
# Usage: scripts/bench-roofline.sh [RUNS]   (default 30; BUDDY_ROOFLINE_BINARY: another
# pose-bench build, e.g. an older one, instead of building this tree's)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pose-bench >&2
binary="${BUDDY_ROOFLINE_BINARY:-$(swift build -c release --show-bin-path)/pose-bench}"
if command -v objdump >/dev/null; then
  calls=$(objdump -d --no-show-raw-insn "$binary" | awk '
    /^[0-9a-f]+ <.*>:$/ { name = $2 }
    /call/ && name ~ /PoseKernelsAVX(2|512|512Gemm8)04Fast/ && /(loadUnaligned|storeBytes)/ { count[name]++ }
    END { for (n in count) print count[n], n }' | sort -rn)
  if [[ -z $calls ]]; then
    echo "Vector loads and stores left as calls in the kernels: none."
  else
    echo "Vector loads and stores left as calls in the kernels (calls, function):"
    while read -r count name; do
      name=${name#<}
      name=${name%>:}
      module=$(sed -E 's/.*(PoseKernelsAVX(512Gemm8|512|2))04Fast.*/\1/' <<<"$name")
      echo "- $count in $module: $(swift demangle --simplified --compact "$name" | cut -c1-140)"
    done <<<"$calls"
  fi
  echo
fi
exec "$binary" roofline "${1:-30}"
