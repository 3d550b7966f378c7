#!/bin/bash
# Issue 2 (e): SIGTERM to A's vigild: A sends a priority-0 advert, then removes
# the VIP; B owns the VIP about Skew_Time (0.668 s at priority 85) later.
source "$(dirname "$0")/lib.sh"
lab_create vgt

CAPTURE_FILTER="vrrp or arp" start_pair

start=$(now)
kill -TERM "$(vigild_pid a)"
wait_until 3 "VIP on B" has_vip b
took=$(elapsed_since "$start")
wait_until 3 "VIP gone from A" has_no_vip a
wait_until 5 "A's vigild exited" process_gone "$(vigild_pid a)"
log "B owns the VIP $took s after SIGTERM to A"
# Skew_Time for priority 85 is 0.668 s; Master_Down_Interval would be 3.668 s.
assert_le "$took" 1.5 "takeover after A's priority-0 advert"
# On the wire: A's priority-0 advert, then B's first advert.
mac_a=$(mac_of a)
grep -q "$mac_a > 01:00:5e:00:00:12.*vrid 51, prio 0" "$LAB_DIR/wire.txt" ||
  fail "no priority-0 advert from A on the wire"
prio0=$(grep -m1 "$mac_a > 01:00:5e:00:00:12.*vrid 51, prio 0" "$LAB_DIR/wire.txt" | cut -d' ' -f1)
wait_until 2 "B's advert on the wire" grep -q "192.0.2.2 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 85" \
  "$LAB_DIR/wire.txt"
first_b=$(grep -m1 "192.0.2.2 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 85" "$LAB_DIR/wire.txt" | cut -d' ' -f1)
gap=$(python3 -c "
from datetime import datetime as d
f='%H:%M:%S.%f'
print('%.3f' % (d.strptime('$first_b', f) - d.strptime('$prio0', f)).total_seconds())")
log "wire: priority 0 at $prio0, B's first advert at $first_b ($gap s later)"
assert_le "$gap" 0.9 "B's first advert after the priority-0 advert"
assert_le 0.6 "$gap" "B waited at least Skew_Time"
grep -q "removing VIPs" "$LAB_DIR/a.log" || fail "A did not log the VIP removal"
pass "(e) SIGTERM: B took over ${gap}s after A's priority-0 advert; A removed the VIP"
