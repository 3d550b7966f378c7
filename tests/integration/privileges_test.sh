#!/bin/bash
# Issue 2 (g): the brain and the checker run as non-root users with no
# capabilities and no_new_privs; the agent keeps only NET_ADMIN, NET_RAW and
# KILL. Issue 5: the launcher, which starts the children, keeps no usable
# capability (in its bounding set only what a child it starts needs to
# switch users); every process runs under a seccomp filter, the agent's
# without fork or exec; the brain's, and a
# forbidden system call kills it (or, with --seccomp=trap, is named in the
# log); the agent starts it again and the VIP stays.
source "$(dirname "$0")/lib.sh"
lab_create vgp

write_config a MASTER 100
httpd_start a
vigild_start a
wait_until 6 "VIP on A" has_vip a

field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
for program in vigil-vrrp vigil-checker; do
  pid=$(child_pid a "$program")
  [ -n "$pid" ] || fail "no $program process"
  uid=$(field "$pid" Uid)
  [ "$uid" != 0 ] || fail "$program runs as root"
  [ "$(field "$pid" CapEff)" = 0000000000000000 ] || fail "$program CapEff $(field "$pid" CapEff)"
  [ "$(field "$pid" CapPrm)" = 0000000000000000 ] || fail "$program CapPrm $(field "$pid" CapPrm)"
  [ "$(field "$pid" CapBnd)" = 0000000000000000 ] || fail "$program CapBnd $(field "$pid" CapBnd)"
  [ "$(field "$pid" NoNewPrivs)" = 1 ] || fail "$program NoNewPrivs is not 1"
  [ "$(field "$pid" Groups)" = "" ] || fail "$program kept supplementary groups"
  log "$program (pid $pid): uid $uid ($(id -nu "$uid")), CapEff 0, NoNewPrivs 1"
done
brain=$(child_pid a vigil-vrrp)
for pid in $(vigil_processes a); do
  [ "$(field "$pid" Seccomp)" = 2 ] || fail "$(cat "/proc/$pid/comm") Seccomp is $(field "$pid" Seccomp), not 2 (filter)"
done
log "vigild, vigil-launcher, vigil-vrrp, vigil-checker: Seccomp 2 (filter)"
[ "$(readlink "/proc/$brain/root")" = /run/vigil/empty ] ||
  fail "vigil-vrrp is not jailed in /run/vigil/empty: $(readlink "/proc/$brain/root")"
agent=$(vigild_pid a)
# CAP_KILL (5), CAP_NET_ADMIN (12), CAP_NET_RAW (13).
[ "$(field "$agent" CapEff)" = 0000000000003020 ] || fail "vigild CapEff $(field "$agent" CapEff)"
[ "$(field "$agent" CapPrm)" = 0000000000003020 ] || fail "vigild CapPrm $(field "$agent" CapPrm)"
[ "$(field "$agent" CapBnd)" = 0000000000003020 ] || fail "vigild CapBnd $(field "$agent" CapBnd)"
log "vigild (pid $agent): CapEff = CapPrm = CapBnd = 0x3020 = kill, net_admin, net_raw"
launcher=$(child_pid a vigil-launcher)
[ -n "$launcher" ] || fail "no vigil-launcher process"
[ "$(field "$launcher" CapEff)" = 0000000000000000 ] || fail "vigil-launcher CapEff $(field "$launcher" CapEff)"
[ "$(field "$launcher" CapPrm)" = 0000000000000000 ] || fail "vigil-launcher CapPrm $(field "$launcher" CapPrm)"
# SETGID (6), SETUID (7), SETPCAP (8), SYS_CHROOT (18): a child executed as
# root starts with these and needs them to switch to its user; SYS_NICE (23)
# lets the brain make itself real-time first.
[ "$(field "$launcher" CapBnd)" = 00000000008401c0 ] || fail "vigil-launcher CapBnd $(field "$launcher" CapBnd)"
log "vigil-launcher (pid $launcher): CapEff 0; CapBnd 0x8401c0 = setgid, setuid, setpcap, sys_chroot, sys_nice"
# Both children are the agent's own (CLONE_PARENT), so it reaps them.
for program in vigil-vrrp vigil-checker; do
  [ "$(awk '$1 == "PPid:" { print $2 }' "/proc/$(child_pid a "$program")/status")" = "$agent" ] ||
    fail "$program is not a child of vigild"
done
pass "(g) privileges as documented"

# The brain is real-time by default (SCHED_RR 1), the checker is not; past
# its real-time burst limit (SIGXCPU from the kernel) the brain goes back to
# normal scheduling, says so, and carries on.
policy() { chrt -p "$1" | sed -n 's/.*scheduling policy: //p'; }
rt_priority() { chrt -p "$1" | sed -n 's/.*scheduling priority: //p'; }
brain=$(child_pid a vigil-vrrp)
[ "$(policy "$brain")" = "SCHED_RR|SCHED_RESET_ON_FORK" ] || fail "vigil-vrrp policy $(policy "$brain")"
[ "$(rt_priority "$brain")" = 1 ] || fail "vigil-vrrp real-time priority $(rt_priority "$brain")"
checker=$(child_pid a vigil-checker)
[ "$(policy "$checker")" = SCHED_OTHER ] || fail "vigil-checker policy $(policy "$checker")"
kill -XCPU "$brain"
wait_until 3 "a warning for the real-time limit" log_has a "real-time CPU limit"
[ "$(policy "$brain")" = "SCHED_OTHER|SCHED_RESET_ON_FORK" ] || fail "after SIGXCPU vigil-vrrp policy $(policy "$brain")"
[ "$(child_pid a vigil-vrrp)" = "$brain" ] || fail "vigil-vrrp did not survive SIGXCPU"
has_vip a || fail "VIP lost after SIGXCPU"
pass "vigil-vrrp runs SCHED_RR 1 (the checker normal); after SIGXCPU, normal scheduling with a warning, same process, VIP kept"

# With two CPUs or more the brain runs on the last one, which the agent and
# the checker keep off: the agent's netlink work, during which the kernel may
# hold off preemption, cannot delay an advert.
cpus() { awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$1/status"; }
allowed=$(cpus $$)
last=$(echo "$allowed" | awk -F'[-,]' '{ print $NF }')
if [ "$allowed" = "$last" ]; then
  log "one CPU ($allowed): nothing to separate"
else
  [ "$(cpus "$brain")" = "$last" ] || fail "vigil-vrrp on CPUs $(cpus "$brain"), not $last"
  for pid in "$agent" "$checker"; do
    taskset -cp "$pid" | grep -qw "$last" && fail "$(cat "/proc/$pid/comm") may run on CPU $last: $(cpus "$pid")"
  done
  log_has a "CPUs: vigil-vrrp on $last, vigild on" || fail "no log line naming the CPUs"
  pass "vigil-vrrp alone on CPU $last; vigild on $(cpus "$agent"), vigil-checker on $(cpus "$checker")"
fi

# script_user root works, with a warning, and still without capabilities.
kill -TERM "$agent"
wait_until 5 "vigild on A stopped" process_gone "$agent"
sed -i 's/router_id node_a/router_id node_a\n    script_user root/' "$LAB_DIR/a.conf"
vigild_start a
wait_until 6 "VIP on A with script_user root" has_vip a
checker=$(child_pid a vigil-checker)
[ "$(field "$checker" Uid | cut -f1)" = 0 ] || fail "script_user root: checker uid $(field "$checker" Uid)"
[ "$(field "$checker" CapEff)" = 0000000000000000 ] || fail "root checker kept capabilities"
[ "$(field "$checker" NoNewPrivs)" = 1 ] || fail "root checker without no_new_privs"
log_has a "warning: script_user is root" || fail "no warning for script_user root"
check=$("$VIGILD" -t -f "$LAB_DIR/a.conf" 2>&1) || fail "vigild -t refused script_user root: $check"
grep -q "warning: script_user root has uid 0" <<<"$check" || fail "vigild -t does not warn about script_user root: $check"
pass "script_user root: the checker runs as uid 0 without capabilities, with a warning"

# enable_script_security with root scripts: a script under /tmp (writable by
# anyone) is refused at start, with the path and the reason.
kill -TERM "$(vigild_pid a)"
wait_until 5 "vigild on A stopped" process_gone "$(vigild_pid a)"
sed -i 's/    script_user root/    script_user root\n    enable_script_security/' "$LAB_DIR/a.conf"
status=0
ip netns exec "$(ns a)" "$VIGILD" -n -l -f "$LAB_DIR/a.conf" -p "$LAB_DIR/a.pid" \
  --control-socket "$LAB_DIR/a.ctl" >"$LAB_DIR/secure.log" 2>&1 || status=$?
[ "$status" = 3 ] || fail "vigild started a root script under /tmp despite enable_script_security (status $status)"
grep -q "enable_script_security: vrrp_script check_httpd would run as root but /tmp is writable by anyone" \
  "$LAB_DIR/secure.log" || fail "no precise refusal: $(cat "$LAB_DIR/secure.log")"
pass "enable_script_security refuses a root script whose path others can write (exit 3, reason named)"
sed -i '/enable_script_security/d' "$LAB_DIR/a.conf"
vigild_start a
wait_until 6 "VIP on A again" has_vip a

# A master's brain that makes a forbidden call (a test-only hook: SIGUSR1
# makes it try execve) is stopped by the filter; the agent notices, starts a
# new brain, which resumes as master: the VIP never leaves.
kill -TERM "$(vigild_pid a)"
wait_until 5 "vigild on A stopped" process_gone "$(vigild_pid a)"
new_brain() { local p; p=$(child_pid a vigil-vrrp); [ -n "$p" ] && [ "$p" != "$1" ]; }
for mode in kill trap; do
  : > "$LAB_DIR/a.log"
  ip netns exec "$(ns a)" "$VIGILD" -n -l -f "$LAB_DIR/a.conf" -p "$LAB_DIR/a.pid" \
    --control-socket "$LAB_DIR/a.ctl" --seccomp=$mode --test-brain-forbidden-syscall >>"$LAB_DIR/a.log" 2>&1 &
  pid=$!
  LAB_PIDS+=("$pid")
  VIGILD_PID_a=$pid
  wait_until 6 "VIP on A ($mode)" has_vip a
  brain=$(child_pid a vigil-vrrp)
  ip -n "$(ns a)" monitor address >"$LAB_DIR/monitor.txt" &
  monitor=$!
  LAB_PIDS+=("$monitor")
  kill -USR1 "$brain"
  wait_until 5 "a new brain ($mode)" new_brain "$brain"
  wait_until 3 "the new brain resumed" log_has a "resumed after the VRRP process restarted"
  if [ $mode = kill ]; then
    log_has a "vigil-vrrp killed by signal 31" || fail "the brain was not killed by SIGSYS"
  else
    log_has a "seccomp: forbidden system call execve" || fail "trap mode did not name execve"
  fi
  kill -TERM "$monitor"
  has_vip a || fail "the VIP did not survive the brain's restart"
  ! grep -q Deleted "$LAB_DIR/monitor.txt" || fail "the VIP was removed: $(cat "$LAB_DIR/monitor.txt")"
  new=$(child_pid a vigil-vrrp)
  [ "$(field "$new" Seccomp)" = 2 ] || fail "the new brain runs without its filter"
  [ "$(field "$new" CapEff)" = 0000000000000000 ] || fail "the new brain has capabilities"
  [ "$(field "$new" Uid)" != 0 ] || fail "the new brain runs as root"
  [ "$(cpus "$new")" = "$last" ] || fail "the new brain runs on CPUs $(cpus "$new"), not $last"
  kill -TERM "$pid"
  wait_until 5 "vigild ($mode) stopped" process_gone "$pid"
  pass "--seccomp=$mode: a forbidden call stops the brain; the agent starts a new one (pid $new, filtered, no capabilities), which resumes as master, on CPU $last; the VIP stays"
done
