#!/bin/bash
# Issue 2 (f): SIGKILL of every vigil process on A: B owns the VIP within about
# Master_Down_Interval (3 x 1 s + 0.668 s at priority 85). Issue 5: nothing is
# left to remove A's VIP, so its kernel lifetime (vip_lifetime, 2 s) does.
source "$(dirname "$0")/lib.sh"
lab_create vgk

start_pair

pids="$(vigild_pid a) $(vigild_children a)"
[ "$(echo "$pids" | wc -w)" -eq 4 ] || fail "expected 4 vigil processes on A (vigild, launcher, brain, checker), found: $pids"
start=$(now)
daemon_kill a
wait_until 4 "VIP gone from A by itself" has_no_vip a
gone=$(elapsed_since "$start")
log "A's VIP expired $gone s after the kill (lease 2 s)"
assert_le "$gone" 3.0 "lease expiry"
wait_until 5 "VIP on B" has_vip b
took=$(elapsed_since "$start")
log "B owns the VIP $took s after SIGKILL of A's processes ($pids)"
# The last advert from A went out at most 1 s before the kill.
assert_le "$took" 4.2 "takeover after a crash"
assert_le 2.5 "$took" "B waited for Master_Down_Interval"
pass "(f) SIGKILL: B took the VIP after $took s; A's VIP had expired after $gone s"
