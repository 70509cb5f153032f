#!/usr/bin/env bash
# Benchmarks of the pose runtime, built in release.
#   scripts/bench.sh model-reference [iterations]   ms per inference, both models,
#                                                    reference kernels (single thread)
# Needs the models: scripts/fetch-pose-models.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case "${1:-}" in
  model-reference)
    swift build -c release --product pose-bench >&2
    "$(swift build -c release --show-bin-path)/pose-bench" "$@"
    ;;
  *)
    echo "usage: scripts/bench.sh model-reference [iterations]" >&2
    exit 64
    ;;
esac
