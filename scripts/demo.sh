#!/usr/bin/env bash
# The whole product in one command: set up (packages, release build, private PostgreSQL,
# migrations), then as a demo user record two sessions from Fixtures/ and a manual entry, and
# show history and stats. Safe to run again: it then says the demo data exists and shows it.
# The demo user's session lives in its own config directory, so your own login is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
buddy_bin="$(swift build -c release --show-bin-path)/buddy"
database_url="$("$buddy_bin" config get database_url)"

demo_home="${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/demo"
mkdir -p "$demo_home"
buddy() { BUDDY_DATABASE_URL="$database_url" XDG_CONFIG_HOME="$demo_home/config" "$buddy_bin" "$@"; }

# A demo account; its password is piped in (never an argument or an environment variable).
demo_password='demo-password-not-secret'
echo
if printf '%s\n' "$demo_password" | buddy login --password-stdin demo >/dev/null 2>&1; then
  echo "The demo data exists already (user demo); showing it."
else
  echo "== buddy register --email demo@example.com --username demo --password-stdin"
  printf '%s\n' "$demo_password" | buddy register --email demo@example.com --username demo --password-stdin
  printf '%s\n' "$demo_password" | buddy login --password-stdin demo
  buddy profile set weight-kg 75 time-zone UTC week-start monday
  echo
  echo "== buddy record Fixtures/mp33-side-15fps-fast-no-lockout.json"
  buddy record --at "$(date -u -d '2 days ago' '+%Y-%m-%d 07:30')" \
    Fixtures/mp33-side-15fps-fast-no-lockout.json
  echo "== buddy record Fixtures/coco17-side-30fps-jitter-drops.json"
  buddy record --at "$(date -u -d 'yesterday' '+%Y-%m-%d 18:10')" \
    Fixtures/coco17-side-30fps-jitter-drops.json
  echo "== buddy record --exercise jump-rope --reps 240 --duration 2m30s"
  buddy record --exercise jump-rope --reps 240 --duration 2m30s
fi
echo
echo "== buddy history"
buddy history
echo
echo "== buddy stats"
buddy stats
