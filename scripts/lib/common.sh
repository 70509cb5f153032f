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

# Installs missing Debian packages (as root with apt), or names them and fails.
ensure_packages() {
  local missing=() entry package marker
  for entry in "${BUDDY_PACKAGES[@]}"; do
    package=${entry%%:*}
    marker=${entry#*:}
    [[ -e $marker ]] || missing+=("$package")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then return 0; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing: ${missing[*]}"
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
