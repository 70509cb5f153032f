#!/usr/bin/env bash
# A replicated PostgreSQL on one machine, for tests, benchmarks and trying things out: a
# pg_auto_failover monitor, a primary and one streaming standby, all on free 127.0.0.1 ports under
# one directory. Run `scripts/cluster-lab.sh --help` for the commands.
set -euo pipefail

# A parent that blocks or ignores signals (Foundation's Process hands on the mask of the thread
# that started it) would leave pg_autoctl deaf to SIGCHLD and SIGTERM, and it would wait forever:
# start again with every signal unblocked and at its default action.
if [[ -z ${CLUSTER_LAB_SIGNALS_CLEAN:-} ]] \
  && grep -q -E '^Sig(Blk|Ign):[[:space:]]*0*[1-9a-f]' "/proc/$$/status" 2>/dev/null \
  && command -v python3 >/dev/null; then
  export CLUSTER_LAB_SIGNALS_CLEAN=1
  exec python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_SETMASK, set())
for number in range(1, signal.NSIG):
    try:
        signal.signal(number, signal.SIG_DFL)
    except (OSError, ValueError):
        pass
os.execv("/bin/bash", ["bash"] + sys.argv[1:])
' "$0" "$@"
fi

# Descriptors inherited beyond 0-2 would stay open in the servers and keepers `up` leaves
# running, and a parent that waits for them to close (Foundation's Process does) would hang.
# Every one goes, however high (a long-running parent's can pass 255), except the one bash
# reads this script through.
this_script=$(readlink -f "${BASH_SOURCE[0]}")
for inherited in "/proc/$$/fd"/*; do
  descriptor=${inherited##*/}
  if [[ $descriptor =~ ^[0-9]+$ ]] && ((descriptor > 2)) \
    && [[ $(readlink "$inherited" 2>/dev/null) != "$this_script" ]]; then
    eval "exec $descriptor>&-" 2>/dev/null || true
  fi
done
unset inherited descriptor this_script

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$script_dir/lib/common.sh"

usage() {
  cat <<'HELP'
Usage: scripts/cluster-lab.sh COMMAND [options] DIR

A pg_auto_failover monitor, a primary and one streaming standby on free 127.0.0.1 ports, everything
(data, sockets, logs, the generated password) under DIR. Runs as root (the servers then run as the
`postgres` OS user and DIR belongs to it) or as a normal user (everything runs as you).

Commands:
  up DIR                 create and start the lab (or start a stopped one again; a DIR that is
                         already up is reused). The last line of stdout is the multi-host URL, e.g.
                           postgresql://buddy_admin@127.0.0.1:41001,127.0.0.1:41002/buddy
                         with no target_session_attrs: buddy adds read-write for its writes and
                         prefer-standby for its reads itself (psql needs
                         ?target_session_attrs=read-write appended to be sure to write).
                         buddy_admin is a superuser of database `buddy`, so `buddy db migrate` works
                         with it. Its password is in DIR/pgpass, never in the URL: use
                           PGPASSFILE=DIR/pgpass buddy ...
                         A node stopped by kill-primary is started again and rejoins as a standby.
                         up returns once a write commits through the URL.
  kill-primary [--wait] DIR
                         SIGKILL the current primary's pg_autoctl keeper, then its postmaster, and
                         keep that node down (until the next `up`). With --wait, wait until the
                         standby is promoted and accepts writes, and print the failover time.
  status [--format json] DIR
                         formation state: each node's port, role and whether it runs.
  down DIR               stop everything `up` started (keepers, monitor, servers); fine on a DIR
                         that is already down. Data stays; remove DIR to forget the lab.
  selftest [DIR]         up, write, kill-primary --wait, write again, down, check nothing is left
                         running (in a temporary DIR unless one is given).
  --help                 this text.

Examples:
  url=$(scripts/cluster-lab.sh up /tmp/lab | tail -n 1)
  PGPASSFILE=/tmp/lab/pgpass buddy db migrate --database-url "$url"
  scripts/cluster-lab.sh status /tmp/lab
  scripts/cluster-lab.sh kill-primary --wait /tmp/lab     # prints: failover: 6.1 s ...
  scripts/cluster-lab.sh down /tmp/lab && rm -rf /tmp/lab

Security: every TCP connection (clients, replication, monitor) uses scram-sha-256 and only
127.0.0.1 is listened on. One generated password serves the lab's roles (buddy_admin and
pg_auto_failover's autoctl_node, pgautofailover_replicator, pgautofailover_monitor); it is stored
only in DIR/pgpass (mode 0600) and set as a SCRAM verifier, so it never appears on a command line,
in the environment, in SQL text or in a log. The Unix sockets live in DIR/run (mode 0700) with
`trust` for the server's OS user. fsync is off: the lab survives killed processes, not a machine
crash. Needs the Debian packages pg-auto-failover-cli and postgresql-NN-auto-failover (installed
when missing and root) and python3.

Exit codes: 0 success, 1 failure (the message says what; logs are in DIR/logs), 2 usage error.
HELP
}

fail() {
  say "cluster-lab: $*"
  exit 1
}

usage_error() {
  say "cluster-lab: $*"
  say "run 'scripts/cluster-lab.sh --help' for usage"
  exit 2
}

# --- layout ----------------------------------------------------------------------------------------

nodes=(monitor node1 node2)
database=buddy
admin_role=buddy_admin

# Sets the paths for lab directory $1 (made absolute).
set_layout() {
  lab=$1
  [[ $lab == /* ]] || lab="$PWD/$lab"
  lab=${lab%/}
  env_file="$lab/lab.env"
  pgpass="$lab/pgpass"
  run_dir="$lab/run"
  log_dir="$lab/logs"
  pid_dir="$lab/pids"
}

server_user() {
  if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi
}

# Fills `lab_command` with the prefix that runs a program as the server user with pg_autoctl's
# configuration, state and runtime files inside the lab directory.
set_lab_command() {
  lab_command=(
    env HOME="$lab" XDG_CONFIG_HOME="$lab/xdg/config" XDG_DATA_HOME="$lab/xdg/data"
    XDG_RUNTIME_DIR="$lab/xdg/runtime" PGPASSFILE="$pgpass" PGHOST="$run_dir"
    PATH="$bindir:/usr/bin:/bin"
  )
  if [[ $(id -u) -eq 0 ]]; then lab_command=(runuser -u postgres -- "${lab_command[@]}"); fi
}

as_lab_user() {
  set_lab_command
  "${lab_command[@]}" "$@"
}

# psql as the server user over the lab's Unix socket; $1 is the port, $2 the database.
lab_psql() {
  local port=$1 db=$2
  shift 2
  as_lab_user "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$run_dir" -p "$port" -d "$db" "$@"
}

load_env() {
  [[ -f $env_file ]] || return 1
  # shellcheck disable=SC1090
  source "$env_file"
  # shellcheck disable=SC2154 # lab_bindir comes from lab.env
  bindir=$lab_bindir
}

port_of() {
  case $1 in
    monitor) echo "$monitor_port" ;;
    node1) echo "$node1_port" ;;
    node2) echo "$node2_port" ;;
  esac
}

# The multi-host URL printed by `up` (no password: libpq reads it from PGPASSFILE). It carries no
# target_session_attrs, which would be the user's own and stop buddy routing reads to the standby.
lab_url() {
  echo "postgresql://$admin_role@127.0.0.1:$node1_port,127.0.0.1:$node2_port/$database"
}

# The URL for a client that must reach the primary (psql in probe_write and selftest).
lab_write_url() {
  echo "$(lab_url)?target_session_attrs=read-write"
}

# --- processes -------------------------------------------------------------------------------------

# The pid of node $1's pg_autoctl keeper (a session leader, so also its process group) if alive.
keeper_pid() {
  local file="$pid_dir/$1.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# The pid of node $1's postmaster if alive.
postmaster_pid() {
  local file="$lab/$1/postmaster.pid" pid
  [[ -f $file ]] || return 1
  pid=$(head -n 1 "$file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -d /proc/$pid ]] || return 1
  # A recycled pid belongs to some other program: the postmaster's cwd is its data directory.
  [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$lab/$1" ]] && echo "$pid"
}

# Pids of processes whose working directory is inside the lab (pg_autoctl, the postmasters and
# every backend, which inherit the data directory as cwd).
lab_processes() {
  local entry pid cwd
  for entry in /proc/[0-9]*; do
    pid=${entry#/proc/}
    [[ $pid != "$$" && $pid != "$BASHPID" ]] || continue
    cwd=$(readlink "$entry/cwd" 2>/dev/null) || continue
    # (" (deleted)" when the directory was removed under a running process)
    if [[ $cwd == "$lab" || $cwd == "$lab"/* || $cwd == "$lab (deleted)" ]]; then echo "$pid"; fi
  done
}

# Starts `pg_autoctl ARGS...` for node $1 in a session of its own (so its pid is also the
# process group of the keeper and its services), logging to DIR/logs/NODE.log.
start_autoctl() {
  local node=$1
  shift
  set_lab_command
  (cd "$lab" && exec setsid "${lab_command[@]}" pg_autoctl "$@") \
    >>"$log_dir/$node.log" 2>&1 </dev/null &
  echo $! >"$pid_dir/$node.pid"
  disown $!
}

# Starts `pg_autoctl run` for node $1 unless its keeper runs.
start_keeper() {
  keeper_pid "$1" >/dev/null || start_autoctl "$1" run --pgdata "$lab/$1"
}

# Stops node $1: SIGINT to its keeper's process group (fast shutdown), SIGKILL after $2 seconds,
# then SIGKILL to a postmaster that survived.
stop_node() {
  local node=$1 grace=$2 pid postmaster
  if pid=$(keeper_pid "$node"); then
    kill -INT -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  if postmaster=$(postmaster_pid "$node"); then
    as_lab_user "$bindir/pg_ctl" -D "$lab/$node" stop -m immediate -w -t 10 >/dev/null 2>&1 \
      || kill -KILL "$postmaster" 2>/dev/null || true
  fi
  rm -f "$pid_dir/$node.pid"
}

# Waits up to $1 seconds until no process works inside the lab; SIGKILLs what remains.
reap_lab_processes() {
  local left=()
  for _ in $(seq 1 $(($1 * 10))); do
    mapfile -t left < <(lab_processes)
    ((${#left[@]} == 0)) && return 0
    sleep 0.1
  done
  say "cluster-lab: killing leftover processes: ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  sleep 0.5
  [[ -z $(lab_processes) ]]
}

# --- the monitor's view ----------------------------------------------------------------------------

# Lines "name port reportedstate goalstate" from the monitor.
node_states() {
  lab_psql "$monitor_port" pg_auto_failover -F ' ' -c \
    "select nodename, nodeport, reportedstate, goalstate from pgautofailover.node order by nodeid"
}

# The name of the node the monitor has as primary (goal state primary, wait_primary or single).
current_primary() {
  node_states 2>/dev/null | awk '$4 ~ /^(primary|wait_primary|single)$/ && $3 == $4 { print $1; exit }'
}

# Waits up to $1 seconds until the monitor reports a primary and a secondary, both settled.
wait_for_pair() {
  local deadline=$((SECONDS + $1)) states
  while ((SECONDS < deadline)); do
    states=$(node_states 2>/dev/null || true)
    if [[ $(awk '$3 == "primary" && $4 == "primary"' <<<"$states" | wc -l) -eq 1 \
      && $(awk '$3 == "secondary" && $4 == "secondary"' <<<"$states" | wc -l) -eq 1 ]]; then
      return 0
    fi
    sleep 0.2
  done
  say "cluster-lab: no primary and secondary after $1 s; the monitor says:"
  say "${states:-(no answer)}"
  return 1
}

# Commits one transaction through the multi-host URL as a client would (read-write target,
# password from DIR/pgpass). Fails after $1 seconds (a synchronous commit with no standby waits).
probe_write() {
  PGPASSFILE=$pgpass PGCONNECT_TIMEOUT=2 timeout "$1" "$bindir/psql" -X -q -At \
    -d "$(lab_write_url)" -c "select txid_current()" >/dev/null 2>&1
}

# --- up ----------------------------------------------------------------------------------------------

# A SCRAM-SHA-256 verifier for the password on stdin, so ALTER ROLE never carries the password.
scram_verifier() {
  # shellcheck disable=SC2016 # Python source, not shell
  python3 -c '
import base64, hashlib, hmac, os, sys
password = sys.stdin.read().strip().encode()
salt, iterations = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
client_key = hmac.new(salted, b"Client Key", "sha256").digest()
server_key = hmac.new(salted, b"Server Key", "sha256").digest()
b64 = lambda b: base64.b64encode(b).decode()
print(f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}")
'
}

# Sets the passwords of roles $2... on the server at port $1 (database $database or the monitor's).
set_passwords() {
  local port=$1 db=$2 role sql="set log_statement = 'none';"
  shift 2
  for role in "$@"; do
    sql+="alter role $role password '$(tail -c +17 "$pgpass" | scram_verifier)';"
  done
  lab_psql "$port" "$db" <<<"$sql" >/dev/null
}

ensure_lab_packages() {
  local version
  version=$(basename "$(dirname "$bindir")")
  # shellcheck disable=SC2034 # ensure_packages reads it (dynamic scope): only what the lab needs
  local BUDDY_PACKAGES=("postgresql:/usr/lib/postgresql")
  ensure_packages "pg-auto-failover-cli:/usr/bin/pg_autoctl" \
    "postgresql-$version-auto-failover:/usr/lib/postgresql/$version/lib/pgautofailover.so" || exit 1
  command -v python3 >/dev/null || fail "python3 is needed (apt-get install python3)"
}

# Three distinct free ports.
pick_ports() {
  local ports=() port
  while ((${#ports[@]} < 3)); do
    port=$(free_port)
    [[ " ${ports[*]} " == *" $port "* ]] || ports+=("$port")
  done
  echo "${ports[@]}"
}

# initdb with the lab's settings: scram over TCP, trust on the private socket, small memory.
init_data_dir() {
  local node=$1 port=$2
  as_lab_user "$bindir/initdb" -D "$lab/$node" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 -N >>"$log_dir/$node.log" 2>&1 \
    || fail "initdb of $node failed; see $log_dir/$node.log"
  # postgresql.auto.conf is read last, after pg_autoctl's include file (which sizes memory for
  # a dedicated machine); pg_basebackup copies it to the standby.
  as_lab_user tee -a "$lab/$node/postgresql.auto.conf" >/dev/null <<CONF
unix_socket_directories = '$run_dir'
shared_buffers = '32MB'
effective_cache_size = '256MB'
maintenance_work_mem = '64MB'
work_mem = '4MB'
max_connections = 100
fsync = off
full_page_writes = off
wal_keep_size = '256MB'
wal_retrieve_retry_interval = '200ms'
CONF
}

monitor_url() {
  echo "postgresql://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable"
}

create_node() {
  local node=$1 port
  port=$(port_of "$node")
  start_autoctl "$node" create postgres --pgdata "$lab/$node" --pgctl "$bindir/pg_ctl" \
    --pghost "$run_dir" --pgport "$port" --listen 127.0.0.1 --hostname 127.0.0.1 --name "$node" \
    --dbname "$database" --monitor "$(monitor_url)" --auth scram-sha-256 --no-ssl --run
}

# Waits up to $2 seconds for node $1 to have reported state $3 (a regex) on the monitor.
wait_for_state() {
  local node=$1 deadline=$((SECONDS + $2)) pattern=$3
  while ((SECONDS < deadline)); do
    if node_states 2>/dev/null | awk -v n="$node" -v p="^($pattern)$" \
      '$1 == n && $3 ~ p && $3 == $4 { found = 1 } END { exit !found }'; then
      return 0
    fi
    sleep 0.2
  done
  fail "$node did not reach state $pattern in $2 s; see $log_dir/$node.log"
}

# Waits up to $2 seconds until the server of node $1 answers on its socket.
wait_for_server() {
  local node=$1 deadline=$((SECONDS + $2)) port
  port=$(port_of "$node")
  while ((SECONDS < deadline)); do
    as_lab_user "$bindir/pg_isready" -q -h "$run_dir" -p "$port" && return 0
    sleep 0.2
  done
  fail "$node's server did not start in $2 s; see $log_dir/$node.log"
}

up_failed() {
  local status=$?
  trap - EXIT
  cd /
  if ((status != 0)); then
    say "cluster-lab: up failed; stopping what it started (logs stay in $log_dir)"
    local node
    for node in node2 node1 monitor; do stop_node "$node" 2 || true; done
    reap_lab_processes 5 || true
  fi
  exit $status
}

create_lab() {
  mkdir -p "$lab"
  chmod 755 "$lab"
  # Every process started from here works in the lab, which is how `down` finds them all.
  cd "$lab"
  [[ $(id -u) -ne 0 ]] || chown "$(server_user):" "$lab"
  as_lab_user test -w "$lab" -a -x "$lab" \
    || fail "$(server_user) cannot write $lab (its parent directories must be searchable)"
  as_lab_user mkdir -p "$run_dir" "$log_dir" "$pid_dir" "$lab/xdg/config" "$lab/xdg/data" \
    "$lab/xdg/runtime"
  as_lab_user chmod 700 "$run_dir" "$lab/xdg"
  # One random password for the lab's roles, only ever in this 0600 file.
  (
    umask 077
    printf '127.0.0.1:*:*:*:%s\n' "$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')" >"$pgpass"
  )
  [[ $(id -u) -ne 0 ]] || chown postgres: "$pgpass"

  read -r monitor_port node1_port node2_port <<<"$(pick_ports)"
  cat >"$env_file" <<ENV
# Written by scripts/cluster-lab.sh up; read by its other commands.
lab_bindir='$bindir'
monitor_port=$monitor_port
node1_port=$node1_port
node2_port=$node2_port
ENV

  init_data_dir monitor "$monitor_port"
  init_data_dir node1 "$node1_port"
  # Fast failover for a lab: failure detected in about 2 s (defaults: 5 s period, 20 s until
  # unhealthy), and the monitor waits 3 s (default 30) for a lost primary to confirm its demotion
  # before it lets the standby take writes. Safe here, where no network partition can hide a
  # running primary: the nodes share one machine's loopback.
  as_lab_user tee -a "$lab/monitor/postgresql.auto.conf" >/dev/null <<CONF
pgautofailover.primary_demote_timeout = 3000
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 2000
CONF

  say "cluster-lab: monitor on 127.0.0.1:$monitor_port"
  as_lab_user pg_autoctl create monitor --pgdata "$lab/monitor" --pgctl "$bindir/pg_ctl" \
    --pgport "$monitor_port" --hostname 127.0.0.1 --auth scram-sha-256 --no-ssl \
    >>"$log_dir/monitor.log" 2>&1 </dev/null || fail "creating the monitor failed; see $log_dir/monitor.log"
  as_lab_user pg_autoctl config set --pgdata "$lab/monitor" postgresql.listen_addresses 127.0.0.1 \
    >>"$log_dir/monitor.log" 2>&1
  start_keeper monitor
  wait_for_server monitor 60
  set_passwords "$monitor_port" pg_auto_failover autoctl_node

  say "cluster-lab: primary on 127.0.0.1:$node1_port"
  create_node node1
  wait_for_state node1 90 single
  # pg_autoctl lets its health-check role in with `trust`; it has the lab password like the rest
  # (the monitor reads DIR/pgpass), so ask for it. The standby copies this file.
  as_lab_user sed -i -E 's/^(host all "pgautofailover_monitor" [^ ]+) trust /\1 scram-sha-256 /' \
    "$lab/node1/pg_hba.conf"
  lab_psql "$node1_port" postgres -c "select pg_reload_conf()" >/dev/null
  set_passwords "$node1_port" postgres pgautofailover_replicator pgautofailover_monitor
  lab_psql "$node1_port" postgres -c "create role $admin_role login superuser" >/dev/null
  set_passwords "$node1_port" postgres "$admin_role"

  say "cluster-lab: standby on 127.0.0.1:$node2_port"
  # pg_autoctl's pg_basebackup asks for a spread checkpoint, which paces even a few hundred dirty
  # buffers over minutes; an immediate one now leaves it next to nothing to write.
  lab_psql "$node1_port" postgres -c checkpoint >/dev/null
  create_node node2
  wait_for_pair 120
  touch "$lab/ready"
}

# Starts the keepers of a lab that exists (after `down`, or the node kill-primary stopped).
restart_lab() {
  local node restarted=()
  for node in "${nodes[@]}"; do
    if ! keeper_pid "$node" >/dev/null; then
      # A node kill-primary stopped: its postmaster may linger a moment; pg_autoctl restarts it.
      start_keeper "$node"
      restarted+=("$node")
      [[ $node != monitor ]] || wait_for_server monitor 60
    fi
  done
  rm -f "$lab"/*.down
  if ((${#restarted[@]} == 0)); then
    say "cluster-lab: $lab is already up"
  else
    say "cluster-lab: started ${restarted[*]} in $lab"
  fi
  wait_for_pair 120
  # After `down` the monitor still holds the states from before it, so the pair looks settled
  # while the servers are still starting: up returns once a write commits through the URL.
  local deadline=$((SECONDS + 120))
  until probe_write 2; do
    ((SECONDS < deadline)) || fail "no primary accepted writes within 120 s; see $log_dir"
    sleep 0.2
  done
}

cmd_up() {
  [[ $# -eq 1 ]] || usage_error "up takes exactly one DIR"
  set_layout "$1"
  local started=$SECONDS
  if load_env; then
    [[ -f $lab/ready ]] || fail "$lab holds an unfinished lab (a failed up); remove it and retry"
    trap up_failed EXIT
    trap 'exit 1' INT TERM HUP
    cd "$lab"
    restart_lab
  else
    if [[ -e $lab && ! -d $lab ]] || [[ -d $lab && -n $(ls -A "$lab") ]]; then
      fail "$lab exists and is not a lab (no lab.env); choose a new or empty DIR"
    fi
    bindir=$(pg_bindir)
    ensure_lab_packages
    trap up_failed EXIT
    trap 'exit 1' INT TERM HUP
    create_lab
  fi
  trap - EXIT
  say "cluster-lab: up in $((SECONDS - started)) s; primary $(current_primary)," \
    "status: scripts/cluster-lab.sh status $lab"
  say "cluster-lab: password file (use PGPASSFILE=$pgpass buddy ...):"
  echo "PGPASSFILE=$pgpass"
  lab_url
}

# --- kill-primary, status, down ----------------------------------------------------------------------

cmd_kill_primary() {
  local wait=false
  while [[ $# -gt 1 ]]; do
    case $1 in
      --wait) wait=true ;;
      *) usage_error "kill-primary: unknown option $1" ;;
    esac
    shift
  done
  [[ $# -eq 1 ]] || usage_error "kill-primary takes one DIR"
  set_layout "$1"
  load_env || fail "$lab is not a lab (no lab.env)"
  local primary other pid postmaster started
  primary=$(current_primary)
  [[ -n $primary ]] || fail "the monitor names no primary (is the lab up? try status)"
  postmaster=$(postmaster_pid "$primary") || fail "$primary's postmaster is not running"
  # The keeper first, so it cannot start the server again; then the server itself.
  if pid=$(keeper_pid "$primary"); then
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  started=$(date +%s.%N)
  kill -KILL "$postmaster" 2>/dev/null || true
  rm -f "$pid_dir/$primary.pid"
  touch "$lab/$primary.down"
  say "cluster-lab: killed $primary (postmaster $postmaster, port $(port_of "$primary")) with SIGKILL"
  if [[ $wait == true ]]; then
    other=node1
    [[ $primary != node1 ]] || other=node2
    local deadline=$((SECONDS + 120))
    until probe_write 2; do
      ((SECONDS < deadline)) || fail "no primary accepted writes within 120 s"
      sleep 0.1
    done
    local elapsed
    elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    say "cluster-lab: $other (port $(port_of "$other")) is primary and accepts writes"
    echo "failover: $elapsed s from SIGKILL to the first committed write"
  fi
}

cmd_status() {
  local format=text
  while [[ $# -gt 1 ]]; do
    case $1 in
      --format)
        format=${2:-}
        shift
        ;;
      --format=*) format=${1#--format=} ;;
      *) usage_error "status: unknown option $1" ;;
    esac
    shift
  done
  [[ $format == text || $format == json ]] || usage_error "status: --format is text or json"
  [[ $# -eq 1 ]] || usage_error "status takes one DIR"
  set_layout "$1"
  load_env || fail "$lab is not a lab (no lab.env)"
  local states node port running state primary note
  states=$(node_states 2>/dev/null || true)
  primary=$(current_primary || true)
  if [[ $format == json ]]; then
    local items=()
    for node in "${nodes[@]}"; do
      port=$(port_of "$node")
      running=false
      postmaster_pid "$node" >/dev/null && running=true
      state=$(awk -v n="$node" '$1 == n { print $3 "/" $4 }' <<<"$states")
      [[ $node != monitor ]] || state=monitor
      items+=("{\"name\":\"$node\",\"port\":$port,\"running\":$running,\"state\":\"${state:-unknown}\"}")
    done
    local joined
    joined=$(IFS=,; echo "${items[*]}")
    printf '{"dir":"%s","primary":%s,"url":"%s","nodes":[%s]}\n' "$lab" \
      "$([[ -n $primary ]] && echo "\"$primary\"" || echo null)" "$(lab_url)" "$joined"
    return 0
  fi
  echo "lab $lab"
  for node in "${nodes[@]}"; do
    port=$(port_of "$node")
    running=stopped
    postmaster_pid "$node" >/dev/null && running=running
    if [[ $node == monitor ]]; then
      state=monitor
    else
      state=$(awk -v n="$node" '$1 == n { print "reported " $3 ", goal " $4 }' <<<"$states")
    fi
    note=""
    [[ ! -f $lab/$node.down ]] || note=" (kept down by kill-primary)"
    printf '  %-8s 127.0.0.1:%-6s %-8s %s%s\n' "$node" "$port" "$running" \
      "${state:-monitor unreachable}" "$note"
  done
  if [[ -n $primary ]]; then
    echo "primary: $primary on 127.0.0.1:$(port_of "$primary")"
  else
    echo "primary: none"
  fi
  echo "url: $(lab_url)"
}

cmd_down() {
  [[ $# -eq 1 ]] || usage_error "down takes exactly one DIR"
  set_layout "$1"
  if ! load_env; then
    [[ -d $lab ]] || { say "cluster-lab: $lab does not exist; nothing to stop"; return 0; }
    bindir=$(pg_bindir)
  fi
  local node
  for node in node2 node1 monitor; do stop_node "$node" 15; done
  reap_lab_processes 10 || fail "processes in $lab survived SIGKILL"
  say "cluster-lab: $lab is down"
}

# --- selftest ----------------------------------------------------------------------------------------

cmd_selftest() {
  local dir=${1:-} url
  # Globals: the EXIT trap reads them after this function has returned.
  selftest_temporary=false
  if [[ -z $dir ]]; then
    dir=$(mktemp -d /tmp/cluster-lab.XXXXXX)
    rmdir "$dir"
    selftest_temporary=true
  fi
  set_layout "$dir"
  self="$script_dir/cluster-lab.sh"
  trap '"$self" down "$lab" >/dev/null 2>&1 || true
    [[ $selftest_temporary == false ]] || rm -rf "$lab"' EXIT
  local started=$SECONDS
  url=$("$self" up "$lab" | tail -n 1)
  say "selftest: up took $((SECONDS - started)) s"
  load_env
  "$self" up "$lab" >/dev/null 2>&1 || fail "selftest: a second up on a running lab failed"
  PGPASSFILE=$pgpass "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$(lab_write_url)" \
    -c "create table lab_selftest (n int primary key)" -c "insert into lab_selftest values (1)" \
    || fail "selftest: writing through $url failed"
  "$self" kill-primary --wait "$lab"
  PGPASSFILE=$pgpass "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$(lab_write_url)" \
    -c "insert into lab_selftest values (2)" || fail "selftest: writing after failover failed"
  [[ $(PGPASSFILE=$pgpass "$bindir/psql" -X -At -d "$url" -c "select count(*) from lab_selftest") \
    == 2 ]] || fail "selftest: rows lost in the failover"
  "$self" status "$lab"
  "$self" down "$lab"
  [[ -z $(lab_processes) ]] || fail "selftest: processes left after down"
  "$self" down "$lab" || fail "selftest: down on a stopped lab failed"
  # A stopped lab starts again, the killed node back as a standby, and keeps its data.
  [[ $("$self" up "$lab" | tail -n 1) == "$url" ]] || fail "selftest: up after down failed"
  [[ $(PGPASSFILE=$pgpass "$bindir/psql" -X -At -d "$url" -c "select count(*) from lab_selftest") \
    == 2 ]] || fail "selftest: rows lost across down and up"
  "$self" down "$lab"
  [[ -z $(lab_processes) ]] || fail "selftest: processes left after the second down"
  say "selftest: passed"
}

# --- main --------------------------------------------------------------------------------------------

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  kill-primary) shift; cmd_kill_primary "$@" ;;
  status) shift; cmd_status "$@" ;;
  down) shift; cmd_down "$@" ;;
  selftest) shift; cmd_selftest "$@" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) usage_error "unknown command: $1" ;;
esac
