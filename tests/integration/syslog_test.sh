#!/bin/bash
# Issue 6 (logging): without -l, every process logs to syslog under its own
# identifier (vigild, vigil-launcher, vigil-vrrp, vigil-checker) with its own
# pid, and each transition is logged with its reason, at daemon.info. The
# host's /dev/log is not touched: vigild runs in a private mount namespace
# whose /dev holds a few device nodes and a socket this test reads.
source "$(dirname "$0")/lib.sh"
lab_create vsl a

DEV="$LAB_DIR/dev"
mkdir "$DEV"
NODES="null zero full random urandom tty"
for node in $NODES; do touch "$DEV/$node"; done
python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
import os; os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a") as out:
    while True:
        out.write(s.recv(65536).decode(errors="replace").rstrip("\n") + "\n")
        out.flush()' "$DEV/log" "$LAB_DIR/syslog.txt" &
LAB_PIDS+=("$!")
wait_until 5 "the syslog socket" test -S "$DEV/log"

write_config a MASTER 100
httpd_start a
# No -l: syslog. The mounts vanish with the namespace.
ip netns exec "$(ns a)" unshare --mount sh -c '
  for node in '"$NODES"'; do mount --bind "/dev/$node" "$1/$node"; done
  mount --rbind "$1" /dev
  shift
  exec "$@"' sh "$DEV" "$VIGILD" -n -D -f "$LAB_DIR/a.conf" -p "$LAB_DIR/a.pid" \
  --chroot-dir /run/vigil/empty --control-socket "$LAB_DIR/a.ctl" >"$LAB_DIR/a.stderr" 2>&1 &
VIGILD_PID_a=$!
LAB_PIDS+=("$!")
wait_until 8 "VIP on A" has_vip a

syslog_has() { grep -q -- "$1" "$LAB_DIR/syslog.txt"; }
wait_until 3 "the transition to MASTER in syslog" syslog_has "Entering MASTER STATE"
for program in vigild vigil-launcher vigil-vrrp vigil-checker; do
  if [ "$program" = vigild ]; then pid=$(vigild_pid a); else pid=$(child_pid a "$program"); fi
  [ -n "$pid" ] || fail "no $program process"
  syslog_has " $program\[$pid\]: " || fail "nothing in syslog from $program[$pid]: $(head -c 2000 "$LAB_DIR/syslog.txt")"
done
# <30>: facility daemon (3), severity info (6); the reason in parentheses.
grep -E -q "^<30>.* vigil-vrrp\[[0-9]+\]: VRRP_Instance\(HA_1\) Entering MASTER STATE \(.+\)" "$LAB_DIR/syslog.txt" ||
  fail "no daemon.info line for the transition with its reason: $(grep Entering "$LAB_DIR/syslog.txt")"
[ ! -s "$LAB_DIR/a.stderr" ] || fail "vigild wrote to stderr without -l: $(head -c 500 "$LAB_DIR/a.stderr")"
pass "syslog: vigild, vigil-launcher, vigil-vrrp, vigil-checker each under its own name and pid; stderr empty"

httpd_stop a
wait_until 5 "A in FAULT" syslog_has "Entering FAULT STATE"
line=$(grep "Entering FAULT STATE" "$LAB_DIR/syslog.txt" | head -1)
grep -q "check_httpd" <<<"$line" || fail "the FAULT transition does not name the failed check: $line"
grep -E -q "^<[0-9]+>.* vigil-checker\[[0-9]+\]: .*check_httpd" "$LAB_DIR/syslog.txt" ||
  fail "the checker did not log the failing check"
log "FAULT: $line"
pass "a failing check: logged by vigil-checker; the transition to FAULT names it"
