#!/bin/bash
# Issue 4, notify scripts: notify_master/backup/fault/stop and the generic
# notify (with keepalived's INSTANCE NAME STATE PRIORITY) run as the script
# user, once per transition, in transition order even when a script is slow,
# and notify_stop runs before vigild exits. The notify FIFO gets one line per
# transition, read by notify_fifo_script.
source "$(dirname "$0")/lib.sh"
lab_create vgy
EVENTS="$LAB_DIR/events"
mkdir -m 1777 "$EVENTS"
# notify.sh HOST WHAT [ARGS...]: one line per call; the master script is slow,
# so a FAULT right after MASTER tests that the checker keeps the order.
cat > "$LAB_DIR/notify.sh" <<'SCRIPT'
#!/bin/bash
host=$1; shift
[ "$1" = master ] && sleep 1
echo "$(id -un) $*" >> "$(dirname "$0")/events/$host"
awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/self/status > "$(dirname "$0")/events/$host.cpus"
SCRIPT
chmod 755 "$LAB_DIR/notify.sh"
notify_lines() {
  local n="$LAB_DIR/notify.sh $1"
  printf '%s\n' "notify_master \"$n master\"" "notify_backup \"$n backup\"" \
    "notify_fault \"$n fault\"" "notify_stop \"$n stop\"" "notify \"$n any\""
}
events() { cat "$EVENTS/$1" 2>/dev/null; }
events_are() { [ "$(events "$1")" = "$2" ]; }

# notify_fifo_script gets the FIFO's path as its last argument.
cat > "$LAB_DIR/fifo_reader.sh" <<'SCRIPT'
#!/bin/bash
while read -r line; do echo "$line" >> "$(dirname "$0")/events/$1.fifo"; done < "$2"
SCRIPT
chmod 755 "$LAB_DIR/fifo_reader.sh"
fifo_lines() { cat "$EVENTS/a.fifo" 2>/dev/null; }

CHECK_INTERVAL=0.2
GLOBAL_EXTRA="notify_fifo $LAB_DIR/a.fifo
    notify_fifo_script \"$LAB_DIR/fifo_reader.sh a\"" \
  write_config a MASTER 100 "$(notify_lines a)"
write_config b BACKUP 85 "$(notify_lines b)"
httpd_start a
httpd_start b
vigild_start a
vigild_start b
wait_until 8 "VIP on A" has_vip a
# Fail A's check at once: its FAULT comes while the slow master script runs.
httpd_stop a
wait_until 4 "A in FAULT" log_has a "Entering FAULT STATE"
wait_until 4 "VIP on B" has_vip b

user=vigil-checker
# state MASTER starts as BACKUP for one interval (keepalived's shortcut).
expected_a="$user backup
$user any INSTANCE HA_1 BACKUP 100
$user master
$user any INSTANCE HA_1 MASTER 100
$user fault
$user any INSTANCE HA_1 FAULT 100"
wait_until 5 "A's notify scripts ran" events_are a "$expected_a"
pass "A: MASTER then FAULT notified in order although the master script took 1 s"
# The checker keeps off the brain's CPU; what a script starts need not.
cpus=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/$$/status)
[ "$(cat "$EVENTS/a.cpus")" = "$cpus" ] ||
  fail "notify scripts run on CPUs $(cat "$EVENTS/a.cpus"), vigild was started on $cpus"
pass "notify scripts run on every CPU vigild was started on ($cpus)"
[ -p "$LAB_DIR/a.fifo" ] || fail "vigild did not create the notify FIFO"
expected_fifo='INSTANCE "HA_1" BACKUP 100
INSTANCE "HA_1" MASTER 100
INSTANCE "HA_1" FAULT 100'
wait_until 3 "FIFO lines read by notify_fifo_script" bash -c \
  "[ \"\$(cat '$EVENTS/a.fifo' 2>/dev/null)\" = '$expected_fifo' ]"
pass "the notify FIFO carried each transition once, in order, to notify_fifo_script"

expected_b="$user backup
$user any INSTANCE HA_1 BACKUP 85
$user master
$user any INSTANCE HA_1 MASTER 85"
wait_until 5 "B's notify scripts ran" events_are b "$expected_b"
pass "B: BACKUP then MASTER, each once, with keepalived's arguments"

kill -TERM "$(vigild_pid a)"
wait_until 5 "vigild on A stopped" process_gone "$(vigild_pid a)"
expected_a="$expected_a
$user stop
$user any INSTANCE HA_1 STOP 100"
events_are a "$expected_a" || fail "after stop A's events are: $(events a)"
pass "notify_stop and notify STOP ran before vigild exited"
events_are b "$expected_b" || fail "B notified again without a transition: $(events b)"
pass "no notify on B without a transition"
