# Shared helpers for scripts/setup.sh and scripts/test.sh (sourced, not run).

# Debian packages the build and the tests need, with the file that shows each is installed.
BUDDY_PACKAGES=(
  "pkg-config:/usr/bin/pkg-config"
  "libpq-dev:/usr/include/postgresql/libpq-fe.h"
  "libcrypt-dev:/usr/include/crypt.h"
  "libssl-dev:/usr/include/openssl/sha.h"
  "libjpeg62-turbo-dev:/usr/include/jpeglib.h"
  "postgresql:/usr/lib/postgresql"
)

say() { printf '%s\n' "$*" >&2; }

# Installs missing Debian packages (as root with apt), or names them and fails. Arguments add
# more `package:marker-file` entries to the standard list.
ensure_packages() {
  local missing=() entry package marker
  for entry in "${BUDDY_PACKAGES[@]}" "$@"; do
    package=${entry%%:*}
    marker=${entry#*:}
    [[ -e $marker ]] || missing+=("$package")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then return 0; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing with apt-get: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}"
    return 1
  fi
}

# The newest PostgreSQL server bin directory.
pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    [[ -x $dir/initdb ]] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  say "no PostgreSQL server programs found (install the postgresql package)"
  return 1
}

# Runs a command as the postgres OS user when we are root (initdb refuses root), else directly.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  say "no free TCP port found"
  return 1
}

# Creates and starts a throwaway cluster (fsync off) in a new /tmp directory: a Unix socket plus
# 127.0.0.1 on a free port with password auth. Sets cluster_dir, cluster_port, cluster_bindir and
# cluster_admin_url (superuser buddy_test, database postgres). Pair with stop_throwaway_cluster.
start_throwaway_cluster() {
  cluster_bindir=$(pg_bindir)
  cluster_dir=$(mktemp -d /tmp/buddy-pg.XXXXXX)
  chmod 755 "$cluster_dir"
  mkdir -p "$cluster_dir/run"
  cluster_port=$(free_port)
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$cluster_dir" "$cluster_dir/run"; fi
  as_server_user "$cluster_bindir/initdb" -D "$cluster_dir/data" -U buddy_test --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 -N >"$cluster_dir/initdb.log" 2>&1 \
    || { cat "$cluster_dir/initdb.log" >&2; return 1; }
  cat >>"$cluster_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $cluster_port
unix_socket_directories = '$cluster_dir/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  as_server_user "$cluster_bindir/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/postgres.log" \
    -w -t 60 start >/dev/null || { cat "$cluster_dir/postgres.log" >&2; return 1; }
  cluster_admin_url="postgresql:///postgres?host=$cluster_dir/run&port=$cluster_port&user=buddy_test"
}

# Stops the throwaway cluster (even after a failure) and removes its directory; keeps the exit
# status of the script.
stop_throwaway_cluster() {
  local status=$?
  if [[ -z ${cluster_dir:-} ]]; then exit $status; fi
  as_server_user "$cluster_bindir/pg_ctl" -D "$cluster_dir/data" stop -m immediate -w \
    >/dev/null 2>&1 || true
  rm -rf "$cluster_dir"
  exit $status
}

# Writes COUNT landmark sessions (session-00000.json …; the first 150 frames of
# Fixtures/mp33-side-15fps-steady.json, each with its own source name, so each has its own
# digest) into FOLDER, for the import benchmarks. Run from the repository root.
make_import_sessions() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
with open("Fixtures/mp33-side-15fps-steady.json") as f:
    doc = json.load(f)
frames = doc["frames"][:150]
for i in range(count):
    out = dict(doc)
    out["source"] = f"bench-session-{i}"
    out["frames"] = frames
    with open(f"{folder}/session-{i:05d}.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
PY
}
