#!/usr/bin/env bash
# Benchmarks, built in release.
#   scripts/bench.sh model-reference [iterations]   ms per inference, both models,
#                                                    reference kernels (single thread)
#                                                    (needs scripts/fetch-pose-models.sh)
#   scripts/bench.sh count [BUDDY_BINARY]           `buddy count` MB/s, frames/s and peak RSS
#                                                    on a 10-minute session, against a Python
#                                                    peer (see scripts/bench-count.sh)
#   scripts/bench.sh cli [WORKOUTS]                 wall times of --version, whoami, history,
#                                                    stats (median of 20) and EXPLAIN ANALYZE of
#                                                    the stats queries at 1 M rows (bench-cli.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case "${1:-}" in
  model-reference)
    swift build -c release --product pose-bench >&2
    "$(swift build -c release --show-bin-path)/pose-bench" "$@"
    ;;
  count)
    shift
    exec scripts/bench-count.sh "$@"
    ;;
  cli)
    shift
    exec scripts/bench-cli.sh "$@"
    ;;
  *)
    echo "usage: scripts/bench.sh model-reference [iterations] | count [BUDDY_BINARY] | cli [WORKOUTS]" >&2
    exit 64
    ;;
esac
