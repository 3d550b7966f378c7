# Processes started in the background use `ip netns exec` directly (it execs),
# so that $! is the process itself and can be signalled by its PID.
#
# Shared helpers for vigil's integration tests: hosts are network namespaces on
# a bridge namespace, as in FRR's topotests. Source it, then call lab_create.
# Only 192.0.2.0/24 is used, inside namespaces this lab created; everything is
# removed on exit, and processes are stopped by their own PIDs.

set -euo pipefail

VIGIL_SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VIGIL_BUILD=${VIGIL_BUILD:-$VIGIL_SOURCE/build}
VIGILD="$VIGIL_BUILD/netagent/vigild"
VIP=192.0.2.100
declare -A HOST_ADDR=([a]=192.0.2.1 [b]=192.0.2.2 [c]=192.0.2.3)
declare -A HOST_ADDR6=([a]=2001:db8::1 [b]=2001:db8::2 [c]=2001:db8::3)
LAB_HOSTS=(a b)
LAB=""
LAB_DIR=""
LAB_PIDS=()
T0=$(date +%s.%N)

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", ($*) }"; }
# is_true EXPR: awk's verdict on a numeric comparison.
is_true() { awk "BEGIN { exit !($*) }"; }
log() { printf '[%6.2fs] %s\n' "$(calc "$(now) - $T0")" "$*"; }
fail() { log "FAIL: $*"; lab_dump_logs; exit 1; }
pass() { log "PASS: $*"; }
not() { ! "$@"; }

ns() { echo "${LAB}-$1"; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }

# lab_create NAME [HOST...]: a bridge namespace and hosts (default a and b;
# c is a client), each with eth0 on the bridge.
lab_create() {
  LAB=$1
  shift
  [ $# -gt 0 ] && LAB_HOSTS=("$@")
  LAB_DIR=$(mktemp -d "/tmp/vigil-$LAB.XXXXXX")
  chmod 755 "$LAB_DIR"
  trap lab_destroy EXIT
  LAB_KEEP=${LAB_KEEP:-}
  ip netns add "$(ns br)"
  in_ns br ip link add br0 type bridge
  in_ns br ip link set br0 up
  for host in "${LAB_HOSTS[@]}"; do
    ip netns add "$(ns "$host")"
    # No DAD in the lab: link-local addresses are usable at once.
    in_ns "$host" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
    ip link add "${LAB}${host}" type veth peer name eth0 netns "$(ns "$host")"
    ip link set "${LAB}${host}" netns "$(ns br)"
    in_ns br ip link set "${LAB}${host}" master br0 up
    in_ns "$host" ip link set lo up
    in_ns "$host" ip addr add "${HOST_ADDR[$host]}/24" dev eth0
    in_ns "$host" ip addr add "${HOST_ADDR6[$host]}/64" dev eth0 nodad
    in_ns "$host" ip link set eth0 up
  done
  systemd-sysusers "$VIGIL_SOURCE/packaging/vigil.sysusers" >/dev/null
}

lab_destroy() {
  local pid
  for pid in "${LAB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${LAB_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for host in "${LAB_HOSTS[@]}" br; do ip netns del "$(ns "$host")" 2>/dev/null || true; done
  if [ -n "$LAB_DIR" ] && [ -z "$LAB_KEEP" ]; then rm -rf "$LAB_DIR"; fi
}

lab_dump_logs() {
  local f
  for f in "$LAB_DIR"/*.log; do
    [ -f "$f" ] || continue
    echo "---- $f"; tail -n 40 "$f"
  done
}

# A stand-in for httpd: a TCP listener on 127.0.0.1:8080 in the host's
# namespace; the check script connects to it.
httpd_start() {
  local host=$1
  ip netns exec "$(ns "$host")" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8080)); s.listen(16)
while True:
    c, _ = s.accept(); c.close()' &
  eval "HTTPD_PID_$host=$!"
  LAB_PIDS+=("$!")
  wait_until 5 "httpd on $host listening" check_httpd_on "$host"
}
check_httpd_on() { in_ns "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080' 2>/dev/null; }
httpd_stop() { local var="HTTPD_PID_$1"; kill -KILL "${!var}"; wait "${!var}" 2>/dev/null || true; }

write_check_script() {
  cat > "$LAB_DIR/check_httpd.sh" <<'SCRIPT'
#!/bin/bash
exec 3<>/dev/tcp/127.0.0.1/8080
SCRIPT
  chmod 755 "$LAB_DIR/check_httpd.sh"
}

# A notify script for the tests: "$LAB_DIR/notify.sh HOST ARGS..." appends
# ARGS as one line to $EVENTS/HOST (the checker's user can write there).
write_event_notifier() {
  EVENTS="$LAB_DIR/events"
  mkdir -m 1777 "$EVENTS"
  cat > "$LAB_DIR/notify.sh" <<'SCRIPT'
#!/bin/bash
host=$1; shift
echo "$*" >> "$(dirname "$0")/events/$host"
SCRIPT
  chmod 755 "$LAB_DIR/notify.sh"
}

# instance_block NAME VRID VIP PRIORITY [EXTRA_LINES]: a VRRPv3 instance on
# eth0 with 100 ms adverts, for tests where the interval is not the point.
instance_block() {
  cat <<CONF
vrrp_instance $1 {
    interface eth0
    virtual_router_id $2
    priority $4
    version 3
    advert_int 0.1
    virtual_ipaddress {
        $3/24
    }
    ${5:-}
}
CONF
}

# write_config HOST STATE PRIORITY EXTRA_INSTANCE_LINES [WEIGHT_LINE]
write_config() {
  local host=$1 state=$2 priority=$3 extra=${4:-} weight=${5:-}
  write_check_script
  cat > "$LAB_DIR/$host.conf" <<CONF
global_defs {
    router_id node_$host
    ${GLOBAL_EXTRA:-}
}
vrrp_script check_httpd {
    script "$LAB_DIR/check_httpd.sh"
    interval ${CHECK_INTERVAL:-1}
    timeout 1
    fall 1
    rise 1
    $weight
}
vrrp_instance HA_1 {
    state $state
    interface eth0
    virtual_router_id 51
    priority $priority
    advert_int ${ADVERT_INT:-1}
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        $VIP
    }
    track_script {
        check_httpd
    }
    $extra
}
CONF
}

# start_pair EXTRA_INSTANCE_LINES WEIGHT_LINE: the scenario's two hosts, A
# MASTER 100 and B BACKUP 85, each with httpd and vigild; returns once A holds
# the VIP and B is BACKUP.
start_pair() {
  write_config a MASTER 100 "${1:-}" "${2:-}"
  write_config b BACKUP 85 "${1:-}" "${2:-}"
  httpd_start a
  httpd_start b
  [ -n "${CAPTURE_FILTER:-}" ] && capture_start $CAPTURE_FILTER
  vigild_start a
  vigild_start b
  wait_until 8 "VIP on A" has_vip a
  wait_until 8 "B in BACKUP" log_has b "Entering BACKUP STATE"
}

vigild_start() {
  local host=$1
  ip netns exec "$(ns "$host")" "$VIGILD" -n -l -D -f "$LAB_DIR/$host.conf" -p "$LAB_DIR/$host.pid" \
    --chroot-dir "/run/vigil/empty" --control-socket "$LAB_DIR/$host.ctl" >>"$LAB_DIR/$host.log" 2>&1 &
  eval "VIGILD_PID_$host=$!"
  LAB_PIDS+=("$!")
}
vigild_pid() { local var="VIGILD_PID_$1"; echo "${!var}"; }
vigild_children() { cat "/proc/$(vigild_pid "$1")/task/$(vigild_pid "$1")/children" 2>/dev/null; }
# The child of vigild running the given program.
child_pid() {
  local pid
  for pid in $(vigild_children "$1"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
  done
  return 0
}

# vigil_fds HOST / vigil_rss_kb HOST: open fds / resident kB of vigild,
# vigil-launcher, vigil-vrrp and vigil-checker, as "N N N N", for checks that
# nothing grows.
vigil_processes() { echo "$(vigild_pid "$1") $(child_pid "$1" vigil-launcher) $(child_pid "$1" vigil-vrrp) $(child_pid "$1" vigil-checker)"; }
vigil_fds() {
  local pid
  for pid in $(vigil_processes "$1"); do find "/proc/$pid/fd" -mindepth 1 | wc -l; done | paste -sd' '
}
vigil_rss_kb() {
  local pid
  for pid in $(vigil_processes "$1"); do awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; done | paste -sd' '
}

# No pipe into grep -q here: with pipefail, an early grep exit would make ip's
# SIGPIPE a false "no".
has_vip() { [ -n "$(in_ns "$1" ip -o addr show dev eth0 to "$VIP")" ]; }
has_no_vip() { ! has_vip "$1"; }
log_has() { grep -q -- "$2" "$LAB_DIR/$1.log"; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls every 20 ms until COMMAND
# succeeds; fails the test at the deadline.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline
  deadline=$(calc "$(now) + $limit")
  while ! "$@"; do
    if is_true "$(now) > $deadline"; then
      fail "timed out after ${limit}s waiting for: $what"
    fi
    sleep 0.02
  done
}

# Seconds since $1 (a date +%s.%N value), three decimals.
elapsed_since() { printf '%.3f' "$(calc "$(now) - $1")"; }
assert_le() { is_true "$1 <= $2" || fail "$3: $1 s is more than $2 s"; }

# Capture ARP frames on the bridge, for checking gratuitous ARPs on the wire.
capture_start() {
  ip netns exec "$(ns br)" tcpdump -i br0 -n -l -e -U "$@" >"$LAB_DIR/wire.txt" 2>"$LAB_DIR/tcpdump.err" &
  CAPTURE_PID=$!
  LAB_PIDS+=("$CAPTURE_PID")
  wait_until 5 "tcpdump ready" grep -q "listening on" "$LAB_DIR/tcpdump.err"
}
mac_of() { in_ns "$1" cat /sys/class/net/eth0/address; }

# takeover_gap MAC_OLD MAC_NEW FROM_LINE: seconds on the wire between the
# last advert from MAC_OLD and the first from MAC_NEW after line FROM_LINE of
# the capture (tcpdump -e output).
takeover_gap() {
  awk -v old="$1" -v new="$2" -v from="$3" '
    function seconds(t,  p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
    $2 == old { last_old = seconds($1) }
    NR > from && $2 == new && /VRRP/ { printf "%.3f", seconds($1) - last_old; exit }
  ' "$LAB_DIR/wire.txt"
}

# ---- keepalived as a real VRRP peer ---------------------------------------

# write_plain_config HOST PRIORITY VERSION ADVERT_INT [EXTRA]: a config both
# daemons read, without scripts (keepalived would want its own script user).
write_plain_config() {
  local host=$1 priority=$2 version=$3 interval=$4 extra=${5:-}
  local auth=""
  [ "$version" = 2 ] && auth="authentication {
        auth_type PASS
        auth_pass 1111
    }"
  cat > "$LAB_DIR/$host.conf" <<CONF
global_defs {
    router_id node_$host
}
vrrp_instance HA_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $priority
    version $version
    advert_int $interval
    $auth
    virtual_ipaddress {
        ${VIP_LINE:-$VIP}
    }
    $extra
}
CONF
}

keepalived_start() {
  local host=$1
  # A killed keepalived leaves pid files; with an unreaped zombie behind one it
  # would refuse to start ("daemon is already running").
  rm -f "$LAB_DIR/$host.kpid" "$LAB_DIR/$host.vpid"
  ip netns exec "$(ns "$host")" keepalived -n -l -D -P -f "$LAB_DIR/$host.conf" \
    -p "$LAB_DIR/$host.kpid" -r "$LAB_DIR/$host.vpid" >>"$LAB_DIR/$host.log" 2>&1 &
  eval "VIGILD_PID_$host=$!"
  LAB_PIDS+=("$!")
}

# daemon_start HOST vigil|keepalived
daemon_start() { if [ "$2" = vigil ]; then vigild_start "$1"; else keepalived_start "$1"; fi; }

# A process is gone once it no longer exists or is a zombie (our own
# background children stay zombies until bash reaps them).
process_gone() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
  [ -z "$state" ] || [ "$state" = Z ]
}

# SIGKILL a host's daemon and all its children, by PID; returns at once.
# Children first: a child that saw its parent die first could still send a
# priority-0 advert (keepalived's VRRP process does), which is not a crash.
daemon_kill() {
  local pids
  pids="$(vigild_children "$1") $(vigild_pid "$1")"
  kill -KILL $pids 2>/dev/null || true
  KILLED_PIDS=$pids
}
wait_killed() {
  local pid
  for pid in $KILLED_PIDS; do wait_until 3 "process $pid gone" process_gone "$pid"; done
}
