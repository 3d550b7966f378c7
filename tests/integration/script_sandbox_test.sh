#!/bin/bash
# Issue 5, the checker's sandbox under hostile scripts, on one host:
# - a check that writes 100 MB to stdout: the checker reads and drops it (its
#   memory stays small), and the failure is logged with the script's first
#   line and the amount of output;
# - a check that hangs after starting a background child: killed at its
#   timeout together with that child (the whole process group);
# - meanwhile a third check keeps running on its 1 s schedule;
# - the checker's resource limits (no core dumps, 1024 files, 512 processes);
# - what a script runs as: the checker's user, no capabilities, no_new_privs,
#   the checker's seccomp filter, which refuses new namespaces.
source "$(dirname "$0")/lib.sh"
lab_create vsb a

SCRATCH="$LAB_DIR/scratch"
mkdir -m 1777 "$SCRATCH"
cat >"$LAB_DIR/flood.sh" <<'SCRIPT'
#!/bin/bash
echo "flooding on purpose"
head -c 104857600 /dev/zero
exit 1
SCRIPT
cat >"$LAB_DIR/hang.sh" <<SCRIPT
#!/bin/bash
echo "hanging on purpose"
sleep 1000 &
echo \$! >"$SCRATCH/background.pid"
exec sleep 1000
SCRIPT
cat >"$LAB_DIR/tick.sh" <<SCRIPT
#!/bin/bash
date +%s.%N >>"$SCRATCH/ticks"
[ -f "$SCRATCH/status" ] && exit 0
cat /proc/self/status >"$SCRATCH/status.tmp"
unshare --user true 2>"$SCRATCH/unshare.err"
echo \$? >"$SCRATCH/unshare.status"
mv "$SCRATCH/status.tmp" "$SCRATCH/status"
SCRIPT
chmod 755 "$LAB_DIR"/*.sh

script_block() {  # NAME PATH TIMEOUT
  cat <<CONF
vrrp_script $1 {
    script "$2"
    interval 1
    timeout $3
    fall 1
    rise 1
    weight -10
}
CONF
}
{
  echo "global_defs {
    router_id node_a
}"
  script_block chk_flood "$LAB_DIR/flood.sh" 10
  script_block chk_hang "$LAB_DIR/hang.sh" 1
  script_block chk_tick "$LAB_DIR/tick.sh" 1
  instance_block HA_1 71 "$VIP" 150 "track_script {
        chk_flood
        chk_hang
        chk_tick
    }"
} >"$LAB_DIR/a.conf"
vigild_start a
wait_until 8 "VIP on A" has_vip a

wait_until 15 "the flood's failure logged" log_has a "VRRP_Script(chk_flood) failed"
line=$(grep "VRRP_Script(chk_flood) failed" "$LAB_DIR/a.log" | head -1)
echo "$line" | grep -q "exited with status 1: flooding on purpose (104857620 bytes of output, first 4096 kept)" ||
  fail "the flood's failure is not explained: $line"
checker=$(child_pid a vigil-checker)
rss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$checker/status")
log "checker RSS after a 100 MB flood: $rss_kb kB"
[ "$rss_kb" -lt 20000 ] || fail "the checker grew to $rss_kb kB reading a flood"
pass "a 100 MB flood is read and dropped (checker RSS $rss_kb kB); the failure names the first line and the size"

wait_until 8 "the hang's timeout logged" log_has a "VRRP_Script(chk_hang) failed (timed out: hanging on purpose)"
background=$(cat "$SCRATCH/background.pid")
wait_until 3 "the hung script's background child killed" process_gone "$background"
pass "a hung check is killed at its timeout with its background child (pid $background)"

# The tick check ran on schedule through all of this: over 5 s, 5 runs (±1).
count_ticks() { wc -l <"$SCRATCH/ticks"; }
before=$(count_ticks)
start=$(now)
five_more_ticks() { is_true "$(count_ticks) - $before >= 5"; }
wait_until 7 "5 more ticks" five_more_ticks
took=$(elapsed_since "$start")
assert_le "$took" 6.0 "5 runs of a 1 s check beside a flood and a hang"
pass "the healthy check kept its 1 s schedule (5 runs in $took s)"

limit() { awk -v k="$2" 'index($0, k) == 1 { print $(NF - 2), $(NF - 1) }' "/proc/$1/limits"; }
[ "$(limit "$checker" "Max core file size")" = "0 0" ] || fail "checker core limit: $(limit "$checker" "Max core file size")"
[ "$(limit "$checker" "Max open files")" = "1024 1024" ] || fail "checker open files: $(limit "$checker" "Max open files")"
[ "$(limit "$checker" "Max processes")" = "512 512" ] || fail "checker processes: $(limit "$checker" "Max processes")"
brain=$(child_pid a vigil-vrrp)
[ "$(limit "$brain" "Max open files")" = "4096 4096" ] || fail "brain open files: $(limit "$brain" "Max open files")"
[ "$(limit "$brain" "Max data size")" = "1073741824 1073741824" ] || fail "brain data: $(limit "$brain" "Max data size")"
[ "$(limit "$(vigild_pid a)" "Max core file size")" = "0 0" ] || fail "agent core limit"
pass "resource limits: no core dumps; checker 1024 files, 512 processes; brain 4096 files, 1 GiB data"

wait_until 5 "a script's own status" test -f "$SCRATCH/status"
field() { awk -v k="$1:" '$1 == k { print $2 }' "$SCRATCH/status"; }
[ "$(field Uid)" = "$(id -u vigil-checker)" ] || fail "a script runs as uid $(field Uid), not vigil-checker"
[ "$(field CapEff)" = 0000000000000000 ] || fail "a script has capabilities: $(field CapEff)"
[ "$(field CapBnd)" = 0000000000000000 ] || fail "a script's bounding set: $(field CapBnd)"
[ "$(field NoNewPrivs)" = 1 ] || fail "a script without no_new_privs"
[ "$(field Seccomp)" = 2 ] || fail "a script without a seccomp filter: $(field Seccomp)"
[ "$(cat "$SCRATCH/unshare.status")" != 0 ] && grep -q "Operation not permitted" "$SCRATCH/unshare.err" ||
  fail "unshare in a script was not refused: $(cat "$SCRATCH/unshare.status") $(cat "$SCRATCH/unshare.err")"
pass "a script runs as vigil-checker, no capabilities, no_new_privs, seccomp filter (unshare refused: $(cat "$SCRATCH/unshare.err"))"
