#!/bin/bash
# Issue 2 (d): both instances say nopreempt and the check has no weight, so a
# failed check puts A in FAULT (priority-0 advert, VIP to B). When A's check
# recovers, A stays BACKUP and the VIP stays on B.
source "$(dirname "$0")/lib.sh"
lab_create vgn

start_pair nopreempt
pass "A is MASTER with the VIP"

start=$(now)
httpd_stop a
wait_until 4 "A in FAULT" log_has a "Entering FAULT STATE"
wait_until 3 "VIP on B" has_vip b
log "B took the VIP $(elapsed_since "$start") s after httpd died on A"
has_no_vip a || fail "VIP still on A in FAULT"
log_has a "sent priority 0 advert" || fail "A entered FAULT without a priority-0 advert"
pass "A in FAULT sent priority 0; the VIP moved to B"

httpd_start a
wait_until 4 "A back to BACKUP" log_has a "Entering BACKUP STATE (the fault has cleared)"
# A has priority 100 > 85 but nopreempt: watch for two Master_Down_Intervals
# (2 x 3.6 s) that the VIP stays on B and never appears on A.
deadline=$(calc "$(now) + 7.5")
while is_true "$(now) < $deadline"; do
  has_vip a && fail "A took the VIP back despite nopreempt"
  has_vip b || fail "the VIP left B despite nopreempt"
  sleep 0.1
done
pass "(d) with nopreempt the VIP stays on B after A recovered"
