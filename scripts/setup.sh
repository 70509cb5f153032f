#!/usr/bin/env bash
# Sets Exercise Buddy up on this machine: installs what is missing, builds the release binary,
# starts the private PostgreSQL cluster, migrates it, and links `buddy` onto PATH.
# Safe to run again. Usage: scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

ensure_packages
command -v swift >/dev/null || { say "Swift is not installed (https://www.swift.org/install/linux/)"; exit 1; }

# Only the `buddy` product: the test helpers and the developer tools (fixturegen, pose-bench)
# are not needed to use it.
say "building the release binary (swift build -c release --product buddy)"
swift build -c release --product buddy
binary="$(swift build -c release --show-bin-path)/buddy"

if [[ -x scripts/fetch-pose-models.sh ]]; then
  scripts/fetch-pose-models.sh || say "warning: pose models not installed; counting from JPEG frames needs them"
fi

"$binary" db start

# Put `buddy` on PATH: ~/.local/bin for a normal user, /usr/local/bin for root.
if [[ $(id -u) -eq 0 ]]; then link_dir=/usr/local/bin; else link_dir="$HOME/.local/bin"; fi
mkdir -p "$link_dir"
ln -sf "$binary" "$link_dir/buddy"
say ""
say "buddy is at $binary (linked as $link_dir/buddy)"
case ":$PATH:" in
  *":$link_dir:"*) ;;
  *) say "add $link_dir to PATH, e.g.: export PATH=\"$link_dir:\$PATH\"" ;;
esac
"$binary" db status
