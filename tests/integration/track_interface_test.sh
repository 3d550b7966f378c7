#!/bin/bash
# Issue 4, track_interface: A (priority 100) tracks its uplink with weight
# -30. When the uplink loses its link, A advertises 70 and B (85) preempts;
# when the link returns, A preempts back. The agent's netlink watch reports
# the change; no polling.
source "$(dirname "$0")/lib.sh"
lab_create vgt
# A's "uplink": a veth pair inside A; it has carrier while both ends are up.
in_ns a ip link add up0 type veth peer name up1
in_ns a ip link set up0 up
in_ns a ip link set up1 up

write() {  # write HOST PRIORITY [TRACK_LINES]
  instance_block HA_1 51 "$VIP" "$2" "${3:-}" > "$LAB_DIR/$1.conf"
}
write a 100 "track_interface {
        up0 weight -30
    }"
write b 85
vigild_start a
vigild_start b
wait_until 5 "VIP on A" has_vip a
wait_until 5 "B in BACKUP" log_has b "Entering BACKUP STATE"

start=$(now)
in_ns a ip link set up1 down  # up0 loses carrier
wait_until 3 "VIP on B" has_vip b
wait_until 2 "VIP gone from A" has_no_vip a
log "B took over $(elapsed_since "$start") s after A's uplink lost carrier"
log_has a "interface up0 is down" || fail "A's agent did not log the link change"
pass "uplink down: A's priority fell to 70 and B (85) preempted"

in_ns a ip link set up1 up
wait_until 3 "VIP back on A" has_vip a
wait_until 2 "VIP gone from B" has_no_vip b
log_has a "interface up0 is up" || fail "A's agent did not log the link coming back"
pass "uplink up: A (100) preempted back"

in_ns a ip link set eth0 down
wait_until 3 "A in FAULT" log_has a "Entering FAULT STATE (interface eth0 is down)"
pass "A's own VRRP interface down: FAULT, as keepalived does"
