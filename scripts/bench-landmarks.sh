#!/usr/bin/env bash
# Storage size of kept landmarks (`buddy record --keep-landmarks`), on a throwaway cluster:
#   a 1-minute session at 30 fps (1800 frames of 33 MediaPipe landmarks) is recorded with its
#   landmarks kept, through the client role; then, as the administrator, its payload is
#   rewritten under each TOAST compression of the `payload` column (pglz, lz4) and the raw
#   bytes, the stored bytes (pg_column_size) and the bytes per minute of 30 fps video are
#   printed, next to the JSON Lines that `buddy workout landmarks` gives back.
# The session is the real-data clips of /work/shared/realdata (BUDDY_REALDATA) one after the
# other, retimed to 30 fps (their 15 fps push-up clips then move twice as fast per frame as at
# 30 fps, so the sizes are if anything high), wrapped round to 1800 frames; without real data,
# the repository's 30 fps MediaPipe fixtures. Sizes, not speed: a debug build is enough
# (BUDDY_BIN overrides it).
# Usage: scripts/bench-landmarks.sh [MINUTES]   (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
minutes=${1:-1}
[[ $minutes =~ ^[1-9][0-9]?$ ]] || { say "MINUTES must be 1 to 99"; exit 64; }
frames=$((minutes * 1800))

ensure_packages
if [[ -z ${BUDDY_BIN:-} ]]; then
  swift build --product buddy >&2
  BUDDY_BIN="$(swift build --show-bin-path)/buddy"
fi
trap stop_throwaway_cluster EXIT INT TERM
start_throwaway_cluster
psql_bin="$cluster_bindir/psql"
"$psql_bin" -q "$cluster_admin_url" -c "CREATE DATABASE bench"
admin_url="postgresql:///bench?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
work=$(mktemp -d /tmp/buddy-bench-landmarks.XXXXXX)
home=$work/home
mkdir -p "$home"
run_buddy() { HOME=$home XDG_CONFIG_HOME=$home/config "$BUDDY_BIN" "$@"; }
init_report=$(run_buddy server init --database-url "$admin_url" --client-role buddy_client)
url=$(sed -n 's/^hand this URL to your users: //p' <<<"$init_report")
[[ -n $url ]] || { say "buddy server init printed no client URL"; exit 1; }
buddy() { BUDDY_DATABASE_URL=$url run_buddy "$@"; }
printf '%s\n' 'bench-password' | buddy register --email bench@example.com --username bench --password-stdin >&2
printf '%s\n' 'bench-password' | buddy login --password-stdin bench >&2

realdata=${BUDDY_REALDATA:-/work/shared/realdata}
if [[ -f $realdata/manifest.json ]]; then
  sources=("$realdata"/cases/*/landmarks.json)
  origin="real MediaPipe landmarks ($realdata, ${#sources[@]} clips)"
else
  sources=(Fixtures/mp33-*30fps*.json)
  origin="the repository's 30 fps MediaPipe fixtures (${#sources[@]} files)"
fi
session=$work/session.jsonl
python3 - "$frames" "$session" "${sources[@]}" <<'PY'
import json
import sys

frames, out, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
poses = []
for path in paths:
    with open(path) as f:
        poses += [frame.get("landmarks") for frame in json.load(f)["frames"]]
with open(out, "w") as f:
    for index in range(frames):
        line = {"t": round(index / 30, 6), "landmarks": poses[index % len(poses)]}
        if index == 0:
            line.update(fps=30, width=480, height=270)
        f.write(json.dumps(line, separators=(",", ":")) + "\n")
PY
say "session: $frames frames at 30 fps from $origin"

record=$(buddy record --keep-landmarks --exercise push-up --allow-empty --format json "$session")
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["workout"]["id"])' <<<"$record")
export_bytes=$(buddy workout landmarks "$id" | wc -c)
recount=$(buddy workout landmarks "$id" | buddy count --exercise push-up --format json - |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reps"], d["frames"])')
original=$(buddy count --exercise push-up --format json "$session" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reps"], d["frames"])')

sql() { "$psql_bin" -qAtX "$admin_url" -c "$1"; }
lz4=$(sql "SELECT count(*) FROM pg_catalog.pg_settings WHERE name = 'default_toast_compression' AND enumvals @> ARRAY['lz4']")
default=$(sql "SELECT coalesce(attcompression::text, '') FROM pg_attribute WHERE attrelid = 'public.workout_landmarks'::regclass AND attname = 'payload'")
posed=$(sql "SELECT get_byte(payload, 12) + 256 * get_byte(payload, 13) + 65536 * get_byte(payload, 14) FROM workout_landmarks")
printf '\nkept landmarks of %d minute(s) at 30 fps: %d frames, %d with a pose, 33 landmarks\n' \
  "$minutes" "$frames" "$posed"
printf 'source JSON Lines      %10d bytes\n' "$(wc -c <"$session")"
printf 'buddy workout landmarks %9d bytes (JSON Lines)\n' "$export_bytes"
printf 'count of the source    %s reps / frames;  of the export: %s\n' "$original" "$recount"
printf 'column default         %s (lz4 available: %s)\n' \
  "$([[ $default == l ]] && echo lz4 || echo pglz)" "$([[ $lz4 == 1 ]] && echo yes || echo no)"
printf '%-8s %12s %12s %8s %16s\n' method raw stored ratio 'bytes/minute'
methods=(pglz)
[[ $lz4 == 1 ]] && methods+=(lz4)
for method in "${methods[@]}"; do
  sql "ALTER TABLE workout_landmarks ALTER COLUMN payload SET COMPRESSION $method" >/dev/null
  # A new value (|| ''): TOAST compresses it afresh with the column's method.
  sql "UPDATE workout_landmarks SET payload = payload || ''::bytea" >/dev/null
  sql "SELECT coalesce(pg_column_compression(payload), 'none'), octet_length(payload), pg_column_size(payload) FROM workout_landmarks" |
    while IFS='|' read -r used raw stored; do
      printf '%-8s %12d %12d %7.1f%% %16d   (stored as %s)\n' "$method" "$raw" "$stored" \
        "$(python3 -c "print(100 * $stored / $raw)")" "$((stored / minutes))" "$used"
    done
done
sql "ALTER TABLE workout_landmarks ALTER COLUMN payload SET COMPRESSION $([[ $default == l ]] && echo lz4 || echo pglz)" >/dev/null
rm -rf "$work"
