# shellcheck shell=bash
# Common settings and helpers for hack/openstack-up, hack/openstack-down and hack/openstack/*.
# Sourced, not executed. Everything lives under $OS_STATE = <repo>/.local/openstack.

OS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
OS_HACK=$OS_REPO/hack/openstack
# A clone or worktree may share another checkout's cloud through a .local or .local/openstack symlink: use the
# physical path, so that the configuration rendered (and so every running service) is the same from every checkout.
OS_STATE=$(readlink -m "$OS_REPO/.local/openstack")
OS_ETC=$OS_STATE/etc
OS_LOG=$OS_STATE/log
OS_RUN=$OS_STATE/run
OS_DATA=$OS_STATE/data
OS_LOCK=$OS_REPO/.local/openstack.lock   # serialises openstack-up / openstack-down (survives --purge)
ON_ERROR_LOG=${ON_ERROR_LOG:-$OS_LOG/}
# shellcheck source=../on-error.sh
. "$OS_REPO/hack/on-error.sh"

# Ports: all on 127.0.0.1, none of them an OpenStack / MariaDB / RabbitMQ default, so that a
# system-wide service or devstack on the same machine does not collide with us.
MYSQL_PORT=13306
KEYSTONE_PORT=15000
NEUTRON_PORT=19696
# compute layer (--compute)
RABBIT_PORT=15673        # AMQP
RABBIT_DIST_PORT=15674   # Erlang distribution (rabbitmqctl <-> node)
EPMD_PORT=15675          # Erlang port mapper (our own epmd, not the default 4369)
OF_PORT=16633            # neutron-openvswitch-agent's OpenFlow controller (ovs-vswitchd connects to it)
PLACEMENT_PORT=18778
NOVA_PORT=18774
GLANCE_PORT=19292
CINDER_PORT=18776          # cinder-api (volumev3)

REGION=RegionOne
KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT
NEUTRON_URL=http://127.0.0.1:$NEUTRON_PORT
PY=/usr/bin/python3      # never the pyenv shim: only Debian's python sees the Debian OpenStack modules
# the host name used by nova-compute AND the OVS agent (they must match for port binding)
OS_COMPUTE_HOST=shiftstack-compute

# Debian's tools first (a pyenv / virtualenv python3 or openstack on PATH cannot import the Debian modules)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# OVS sockets and pid files live in our state dir. A unix socket path must stay < 108 bytes; a very
# deep clone falls back to a short directory under /run named after the state dir.
OVS_RUNDIR=$OS_RUN/ovs
if [ ${#OVS_RUNDIR} -gt 80 ]; then
  OVS_RUNDIR=/run/shiftstack-ovs-$(printf '%s' "$OS_STATE" | md5sum | cut -c1-8)
fi
export OVS_RUNDIR OVS_DBDIR=$OS_DATA/ovs OVS_LOGDIR=$OS_LOG
OVSDB_SOCK=$OVS_RUNDIR/db.sock

# ------------------------------------------------------------------------------------------------ timing
_os_t0=${EPOCHREALTIME/,/.}
_os_ts=$_os_t0
_elapsed() { awk -v a="${EPOCHREALTIME/,/.}" -v b="$1" 'BEGIN{printf "%6.1f", a-b}'; }
# step "message": prints the time since the previous step (or since the start) and the message
step() { printf '[%ss] %s\n' "$(_elapsed "$_os_ts")" "$*"; _os_ts=${EPOCHREALTIME/,/.}; }
# mark: restart the step clock without printing
mark() { _os_ts=${EPOCHREALTIME/,/.}; }
total() { printf '[%ss] %s\n' "$(_elapsed "$_os_t0")" "$*"; }
info() { printf '          %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# die "message" [logfile...]: prints the message and the last 40 lines of each log, exits 1
die() {
  local msg=$1; shift
  printf '\nERROR: %s\n' "$msg" >&2
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    printf -- '----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
    printf -- '-----\n' >&2
  done
  exit 1
}

# ------------------------------------------------------------------------------------------------ packages
# missing_packages PKG...: prints, one a line, each PKG that is not installed (dpkg status "ii").
# dpkg-query exits 1 when a name is unknown to dpkg, as it is for every package on a machine that never
# had it: that is an answer here, not a failure (under `set -e` it once ended hack/openstack-up silently).
missing_packages() {
  local out p installed
  out=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null) || true
  installed=" $(awk '$1=="ii"{printf "%s ", $2}' <<<"$out")"
  for p in "$@"; do
    [[ $installed == *" $p "* ]] || printf '%s\n' "$p"
  done
}

# ------------------------------------------------------------------------------------------------ processes
# A pid file holds "<pid> <start time in clock ticks>" so that a recycled pid is never mistaken for ours.
_starttime() {
  local stat rest
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 0
  rest=${stat##*) }           # fields after "(comm) ": state is field 3, starttime field 22
  set -- $rest
  echo "${20}"
}
# alive NAME: the process recorded in run/NAME.pid still runs
alive() {
  local f=$OS_RUN/$1.pid pid st
  [ -f "$f" ] || return 1
  read -r pid st < "$f" || return 1
  [ -n "$pid" ] && [ "$(_starttime "$pid")" = "$st" ]
}
pid_of() { local pid _; read -r pid _ < "$OS_RUN/$1.pid"; echo "$pid"; }
# start NAME LOGFILE CMD...: runs CMD in its own session (so its process group = its pid), stdout and
# stderr appended to LOGFILE, and records the pid. CMD inherits no open file of the caller beyond those three: a
# service that kept a caller's pipe or lock (flock, a CI runner's output) open would hold it for its whole life.
start() {
  local name=$1 log=$2; shift 2
  mkdir -p "$(dirname "$log")"
  printf '\n===== %s start: %s\n' "$(date -Is)" "$*" >> "$log"
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec setsid "$@" >> "$log" 2>&1 < /dev/null
  ) &
  local pid=$! st=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do st=$(_starttime "$pid"); [ -n "$st" ] && break; sleep 0.05; done
  echo "$pid $st" > "$OS_RUN/$name.pid"
}
# stop NAME [timeout]: TERM the process group (and session) of NAME, KILL after the timeout
stop() {
  local name=$1 timeout=${2:-30} pid
  alive "$name" || { rm -f "$OS_RUN/$name.pid"; return 0; }
  pid=$(pid_of "$name")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  local i=0
  while [ $i -lt $((timeout * 10)) ]; do
    _session_pids "$pid" | grep -q . || break
    sleep 0.1; i=$((i + 1))
  done
  local left; left=$(_session_pids "$pid")
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null
    echo "  $name: killed (did not stop in ${timeout}s)"
  fi
  rm -f "$OS_RUN/$name.pid"
}
# every process still in the session started for pid (setsid: session id = pid)
# our_pids: every process of every service we started (one ps call)
our_pids() {
  local f n sids=" "
  for f in "$OS_RUN"/*.pid; do
    [ -f "$f" ] || continue; n=$(basename "$f" .pid)
    alive "$n" && sids+="$(pid_of "$n") "
  done
  ps -e -o pid=,sid= | awk -v s="$sids" 'index(s, " " $2 " "){print $1}' | tr '\n' ' '
}
_session_pids() { ps -e -o pid=,sid= | awk -v s="$1" '$2==s{print $1}'; }

# Background helper jobs (schema syncs, keystone bootstrap) of this run: killed with their children
# if the run fails, so that nothing of a failed run keeps working on the database.
BG_PIDS=()
_kill_tree() {
  local p
  for p in $(ps -e -o pid=,ppid= | awk -v pp="$1" '$2==pp{print $1}'); do _kill_tree "$p"; done
  kill -TERM "$1" 2>/dev/null || true
}
kill_bg_jobs() {
  local p
  for p in "${BG_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && _kill_tree "$p"; done
  return 0
}

# ------------------------------------------------------------------------------------------------ probes
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# http_ok PORT [PATH]: an HTTP answer below 500 from 127.0.0.1:PORT (401 from an authenticated API
# is fine). Pure bash (no fork): the warm re-run does many of these.
http_ok() {
  local port=$1 path=${2:-/} line code
  { exec 8<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&8 2>/dev/null || { exec 8<&-; return 1; }
  IFS= read -r -t 10 line <&8 2>/dev/null || line=""
  exec 8<&-
  code=${line#HTTP/1.? }; code=${code%% *}
  [[ $code =~ ^[1-4][0-9][0-9]$ ]]
}
# wait_for NAME SECONDS CHECK-CMD... : polls CHECK-CMD every 0.25 s; fails if NAME's process dies
wait_for() {
  local name=$1 secs=$2; shift 2
  local deadline=$(( ${EPOCHREALTIME%[.,]*} + secs ))
  while [ "${EPOCHREALTIME%[.,]*}" -lt "$deadline" ]; do
    "$@" && return 0
    alive "$name" || return 2
    sleep 0.25
  done
  return 1
}

# ------------------------------------------------------------------------------------------------ API services
# How Keystone, neutron-server, glance-api and nova-api are started and probed (hack/openstack-up,
# hack/openstack/restart).
keystone_ok() { http_ok "$KEYSTONE_PORT" /v3; }
start_keystone() {
  port_open "$KEYSTONE_PORT" && die "port $KEYSTONE_PORT is already used by a process we did not start"
  # uwsgi, 1 process x 4 threads; "Connection: close" avoids connection resets seen by python-requests
  start keystone "$OS_LOG/keystone.out" env OS_KEYSTONE_CONFIG_FILES="$OS_ETC/keystone.conf" \
    uwsgi --plugins python3 --http-socket "127.0.0.1:$KEYSTONE_PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
      --master --processes 1 --threads 4 --enable-threads --lazy-apps --need-app --die-on-term \
      --buffer-size 65535 --add-header "Connection: close" --procname-prefix-spaced shiftstack-keystone
}
neutron_ok() { http_ok "$NEUTRON_PORT" /; }
start_neutron() {
  port_open "$NEUTRON_PORT" && die "port $NEUTRON_PORT is already used by a process we did not start"
  mkdir -p "$OS_DATA/neutron"
  start neutron-server "$OS_LOG/neutron-server.out" \
    neutron-server --config-file "$OS_ETC/neutron.conf" --config-file "$OS_ETC/ml2_conf.ini"
}
glance_ok() { http_ok "$GLANCE_PORT" /; }
start_glance() {
  port_open "$GLANCE_PORT" && die "port $GLANCE_PORT is already used by a process we did not start"
  start glance-api "$OS_LOG/glance-api.out" glance-api --config-file "$OS_ETC/glance-api.conf"
}
nova_ok() { http_ok "$NOVA_PORT" /; }
start_nova_api() {
  port_open "$NOVA_PORT" && die "port $NOVA_PORT is already used by a process we did not start"
  start nova-api "$OS_LOG/nova-api.out" nova-api --config-file "$OS_ETC/nova.conf" --config-file "$OS_ETC/nova-db.conf"
}

# ------------------------------------------------------------------------------------------------ secrets
# Generated once (random), kept in $OS_STATE/secrets (mode 0600) and reused on later runs.
load_secrets() {
  local f=$OS_STATE/secrets
  if [ ! -s "$f" ]; then
    ( umask 077
      gen() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
      { echo "DB_PASSWORD=$(gen)"; echo "ADMIN_PASSWORD=$(gen)"; echo "SHIFTSTACK_PASSWORD=$(gen)"
        echo "SERVICE_PASSWORD=$(gen)"; echo "RABBIT_PASSWORD=$(gen)"; } > "$f.tmp"
      mv -f "$f.tmp" "$f" )
  fi
  chmod 600 "$f"
  # shellcheck disable=SC1090
  . "$f"
  export DB_PASSWORD ADMIN_PASSWORD SHIFTSTACK_PASSWORD SERVICE_PASSWORD RABBIT_PASSWORD
}
