#!/bin/bash
# Issue 4, track_file: A (priority 100) tracks a maintenance file with weight
# -10 (init_file creates it holding 0). Writing 2 into it lowers A to 80 and
# B (85) preempts; writing 0 brings A back. A weight-0 file with a non-zero
# value puts A in FAULT. The checker watches the files with inotify.
source "$(dirname "$0")/lib.sh"
lab_create vgf
MAINT="$LAB_DIR/maint"
STOP="$LAB_DIR/stop"
cat > "$LAB_DIR/a.conf" <<CONF
track_file maint {
    file "$MAINT"
    weight -10
    init_file 0 overwrite
}
track_file stop {
    file "$STOP"
    weight 0
}
$(instance_block HA_1 51 "$VIP" 100 "track_file {
        maint
        stop
    }")
CONF
instance_block HA_1 51 "$VIP" 85 > "$LAB_DIR/b.conf"
echo 7 > "$MAINT"  # init_file ... overwrite must reset it
vigild_start a
vigild_start b
wait_until 5 "VIP on A" has_vip a
wait_until 5 "B in BACKUP" log_has b "Entering BACKUP STATE"
[ "$(cat "$MAINT")" = 0 ] || fail "init_file did not write 0 into the file"
pass "init_file reset the file to 0; A (100) is master"

start=$(now)
echo 2 > "$MAINT"
wait_until 3 "VIP on B" has_vip b
wait_until 2 "VIP gone from A" has_no_vip a
log "B preempted $(elapsed_since "$start") s after the file changed"
log_has a "track_file(maint) now holds 2" || fail "the checker did not log the new value"
pass "the file holds 2: A advertises 80 and B (85) took over"

echo 0 > "$MAINT"
wait_until 3 "VIP back on A" has_vip a
pass "the file holds 0 again: A preempted back"

echo 1 > "$STOP"
wait_until 3 "A in FAULT" log_has a "Entering FAULT STATE (tracked file stop holds 1)"
wait_until 3 "VIP on B" has_vip b
rm "$STOP"
wait_until 3 "A out of FAULT" log_has a "Entering BACKUP STATE (the fault has cleared)"
wait_until 3 "VIP back on A" has_vip a
pass "a weight-0 file: non-zero means FAULT, removing the file ends it"
