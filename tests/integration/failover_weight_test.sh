#!/bin/bash
# Issue 2 (a)-(c): A MASTER 100 and B BACKUP 85 share a VIP; A's check has
# weight -20. When httpd dies on A, A advertises 80, B takes the VIP and sends
# gratuitous ARPs; when httpd comes back, A preempts and takes the VIP back.
source "$(dirname "$0")/lib.sh"
lab_create vgw

CAPTURE_FILTER=arp start_pair "" "weight -20"
has_no_vip b || fail "VIP on both hosts at start"
log_has a "VRRP_Instance(HA_1) Entering MASTER STATE" || fail "no keepalived-style MASTER log line"
pass "(a) at start the VIP is on A only"

start=$(now)
httpd_stop a
wait_until 8 "VIP on B after A's check failed" has_vip b
log "B took the VIP $(elapsed_since "$start") s after httpd died on A"
wait_until 3 "VIP gone from A" has_no_vip a
log_has a "VRRP_Script(check_httpd) failed" || fail "no 'VRRP_Script(check_httpd) failed' line"
mac_b=$(mac_of b)
wait_until 3 "GARP from B on the wire" \
  grep -q "^.*$mac_b > ff:ff:ff:ff:ff:ff.*Request who-has $VIP (ff:ff:ff:ff:ff:ff) tell $VIP" "$LAB_DIR/wire.txt"
garps=$(grep -c "$mac_b > ff:ff:ff:ff:ff:ff.*Request who-has $VIP (ff:ff:ff:ff:ff:ff) tell $VIP" "$LAB_DIR/wire.txt")
[ "$garps" -ge 5 ] || fail "expected a burst of 5 GARPs from B, saw $garps"
pass "(b) check failed on A: VIP on B, $garps gratuitous ARPs from B ($mac_b) on the wire"
# keepalived's default: a second burst garp_master_delay (5 s) later.
wait_until 7 "second GARP burst from B" bash -c \
  "[ \$(grep -c '$mac_b > ff:ff:ff:ff:ff:ff.*Request who-has $VIP' '$LAB_DIR/wire.txt') -ge 10 ]"
pass "(b) the second burst of 5 gratuitous ARPs followed 5 s later"

httpd_start a
wait_until 8 "VIP back on A" has_vip a
wait_until 3 "VIP gone from B" has_no_vip b
pass "(c) check recovered: the VIP returned to A (preemption)"
