#!/bin/bash
# Issue 4, vrrp_sync_group: HA_1 tracks a check, HA_2 does not; both are in
# group G. When A's check fails, HA_1 enters FAULT and HA_2 follows it, so
# both VIPs move to B together; the group's notify runs with GROUP G STATE.
# When the check recovers, both come back to A (preempt).
source "$(dirname "$0")/lib.sh"
lab_create vgs
VIP2=192.0.2.101
write_event_notifier
write_check_script

write() {  # write HOST PRIORITY
  cat > "$LAB_DIR/$1.conf" <<CONF
vrrp_script check_httpd {
    script "$LAB_DIR/check_httpd.sh"
    interval 0.2
    fall 1
    rise 1
}
vrrp_sync_group G {
    group {
        HA_1
        HA_2
    }
    notify "$LAB_DIR/notify.sh $1"
}
CONF
  instance_block HA_1 51 "$VIP" "$2" "track_script {
        check_httpd
    }" >> "$LAB_DIR/$1.conf"
  instance_block HA_2 52 "$VIP2" "$2" >> "$LAB_DIR/$1.conf"
}
holds() { [ -n "$(in_ns "$1" ip -o addr show dev eth0 to "$2")" ]; }
holds_both() { holds "$1" "$VIP" && holds "$1" "$VIP2"; }
holds_none() { ! holds "$1" "$VIP" && ! holds "$1" "$VIP2"; }
events_have() { grep -qx -- "$2" "$EVENTS/$1" 2>/dev/null; }

write a 100
write b 85
httpd_start a
httpd_start b
vigild_start a
vigild_start b
wait_until 5 "both VIPs on A" holds_both a
wait_until 5 "group G MASTER notified on A" events_have a "GROUP G MASTER 100"
wait_until 5 "group G BACKUP notified on B" events_have b "GROUP G BACKUP 85"
pass "A is master of both members; group notify ran with GROUP G STATE PRIORITY"

start=$(now)
httpd_stop a
wait_until 3 "both VIPs on B" holds_both b
wait_until 2 "no VIP left on A" holds_none a
log "both VIPs moved to B $(elapsed_since "$start") s after the check failed"
log_has a "HA_2) Entering FAULT STATE (vrrp_sync_group G: HA_1 is in FAULT)" ||
  fail "HA_2 did not follow HA_1 into FAULT"
wait_until 3 "group G FAULT notified on A" events_have a "GROUP G FAULT 100"
wait_until 3 "group G MASTER notified on B" events_have b "GROUP G MASTER 85"
pass "HA_1's failed check took HA_2 along: both VIPs on B, group notify on both"

httpd_start a
wait_until 5 "both VIPs back on A" holds_both a
wait_until 3 "no VIP left on B" holds_none b
pass "the check recovered: both members came back to A together"
