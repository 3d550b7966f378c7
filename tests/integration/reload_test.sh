#!/bin/bash
# Issue 4, reload: 50 SIGHUPs with an unchanged config on a running pair do
# not flap the VIP, change a state or run a notify script; a reload that adds
# an instance starts only that one; one that removes an instance stops only
# that one (priority 0, its VIP goes, the peer takes it); an invalid config
# is refused with its errors and the old one keeps running; a VIP with its own
# `dev` that a reload drops is removed from that interface.
source "$(dirname "$0")/lib.sh"
lab_create vgr
VIP2=192.0.2.101
write_event_notifier

instance() {  # instance HOST NAME VRID VIP PRIORITY
  instance_block "$2" "$3" "$4" "$5" "notify \"$LAB_DIR/notify.sh $1\""
}
# write HOST PRIORITY [HA_1] [HA_2]: the host's config with those instances.
write() {
  local host=$1 priority=$2; shift 2
  : > "$LAB_DIR/$host.conf"
  for name in "$@"; do
    case $name in
      HA_1) instance "$host" HA_1 51 "$VIP" "$priority" >> "$LAB_DIR/$host.conf" ;;
      HA_2) instance "$host" HA_2 52 "$VIP2" "$priority" >> "$LAB_DIR/$host.conf" ;;
    esac
  done
}
holds() { [ -n "$(in_ns "$1" ip -o addr show dev eth0 to "$2")" ]; }
count() { grep -c -- "$2" "$LAB_DIR/$1.log" || true; }
events() { cat "$EVENTS/$1" 2>/dev/null || true; }
# hup HOST: SIGHUP, then wait until the agent has logged one more reload.
hup() {
  local before
  before=$(count "$1" "vigild.*reload")
  kill -HUP "$(vigild_pid "$1")"
  wait_until 3 "reload $2 on $1 logged" bash -c \
    "[ \$(grep -c -- 'vigild.*reload' '$LAB_DIR/$1.log') -ge $((before + 2)) ]"
}
monitor_start() {  # address changes on each host, for flap detection
  for host in a b; do
    ip netns exec "$(ns "$host")" ip -o monitor address >"$LAB_DIR/$host.addr" 2>&1 &
    LAB_PIDS+=("$!")
  done
}

write a 100 HA_1
write b 85 HA_1
vigild_start a
vigild_start b
wait_until 5 "HA_1 VIP on A" holds a "$VIP"
wait_until 5 "B in BACKUP" log_has b "HA_1) Entering BACKUP STATE"
monitor_start
transitions_a=$(count a "Entering")
transitions_b=$(count b "Entering")
events_a=$(events a)
events_b=$(events b)
fds_before=$(vigil_fds a)
rss_before=$(vigil_rss_kb a)

for i in $(seq 50); do
  hup a "$i"
  hup b "$i"
  holds a "$VIP" || fail "the VIP left A during reload $i"
  holds b "$VIP" && fail "the VIP appeared on B during reload $i"
done
# A's monitor shows lease renewals; a removal would be a "Deleted" line. B
# must show nothing about the VIP at all.
grep -q "Deleted.*$VIP/" "$LAB_DIR/a.addr" &&
  fail "the VIP was removed from A during the reloads: $(grep Deleted "$LAB_DIR/a.addr")"
grep -q "$VIP/" "$LAB_DIR/b.addr" &&
  fail "the VIP appeared on B during the reloads: $(cat "$LAB_DIR/b.addr")"
[ "$(count a Entering)" = "$transitions_a" ] || fail "A changed state during the reloads"
[ "$(count b Entering)" = "$transitions_b" ] || fail "B changed state during the reloads"
[ "$(events a)" = "$events_a" ] && [ "$(events b)" = "$events_b" ] ||
  fail "notify scripts ran during the reloads"
log_has a "reload: unchanged: HA_1" || fail "the reload log does not say what changed"
# Nothing leaks: the same open fds in each process, and at most 1 MB more
# resident memory each (allocator slack), after 50 reloads.
fds_after=$(vigil_fds a)
rss_after=$(vigil_rss_kb a)
log "A's agent, launcher, brain, checker: fds $fds_before -> $fds_after; RSS kB $rss_before -> $rss_after"
[ "$fds_after" = "$fds_before" ] || fail "open fds changed over 50 reloads: $fds_before -> $fds_after"
paste -d' ' <(tr ' ' '\n' <<<"$rss_before") <(tr ' ' '\n' <<<"$rss_after") |
  awk '$2 - $1 > 1024 { exit 1 }' || fail "memory grew over 50 reloads: $rss_before -> $rss_after kB"
pass "50 SIGHUPs on each node: no VIP change, no transition, no notify, no fd or memory growth"

write a 100 HA_1 HA_2
write b 85 HA_1 HA_2
hup a add
hup b add
wait_until 5 "HA_2 VIP on A" holds a "$VIP2"
wait_until 5 "B's HA_2 in BACKUP" log_has b "HA_2) Entering BACKUP STATE"
log_has a "reload: unchanged: HA_1; added: HA_2" || fail "A's log does not name the added instance"
[ "$(count a "HA_1) Entering")" = "$transitions_a" ] || fail "adding HA_2 disturbed HA_1 on A"
grep -q "Deleted.*$VIP/" "$LAB_DIR/a.addr" && fail "adding HA_2 removed HA_1's VIP"
pass "adding HA_2 started only HA_2 (master on A, backup on B); HA_1 untouched"

ha2_before=$(count a "HA_2) Entering")
write a 100 HA_2
hup a remove
wait_until 3 "HA_1's VIP gone from A" bash -c "! ip netns exec $(ns a) ip -o addr show dev eth0 to $VIP | grep -q ."
wait_until 3 "B took HA_1" holds b "$VIP"
log_has a "HA_1) sent priority 0 advert" || fail "A did not send priority 0 for the removed HA_1"
log_has a "removed: HA_1" || fail "A's log does not name the removed instance"
holds a "$VIP2" || fail "removing HA_1 disturbed HA_2's VIP"
[ "$(count a "HA_2) Entering")" = "$ha2_before" ] || fail "removing HA_1 made HA_2 change state"
pass "removing HA_1 on A: priority 0, its VIP moved to B; HA_2 untouched"

# A VIP on an interface of its own (dev): a reload that drops it removes it
# from that interface, not from the instance's.
EXTRA=198.51.100.9
on_lo() { [ -n "$(in_ns a ip -o addr show dev lo to "$EXTRA")" ]; }
sed -i "s|^        $VIP2/24\$|&\n        $EXTRA/32 dev lo|" "$LAB_DIR/a.conf"
grep -q "$EXTRA/32 dev lo" "$LAB_DIR/a.conf" || fail "test bug: no dev VIP in a.conf"
hup a "dev VIP added"
wait_until 3 "$EXTRA on A's lo" on_lo
write a 100 HA_2
hup a "dev VIP dropped"
wait_until 3 "$EXTRA gone from A's lo" not on_lo
# Not its lease running out (vip_lifetime): the agent removed it.
log_has a "HA_2) removing VIP $EXTRA" || fail "the dropped dev VIP was not removed"
holds a "$VIP2" || fail "dropping the dev VIP disturbed HA_2's VIP"
pass "a VIP with dev lo: added by a reload, removed from lo by the next"

cp "$LAB_DIR/a.conf" "$LAB_DIR/a.good"
printf 'vrrp_instance HA_2 {\n    interface eth0\n    virtual_router_id 300\n}\n' > "$LAB_DIR/a.conf"
kill -HUP "$(vigild_pid a)"
wait_until 3 "the refusal logged" log_has a "invalid; still running the previous one"
log_has a "a.conf:3:23: error: 'virtual_router_id' must be" || fail "the error does not name file:line:column"
deadline=$(calc "$(now) + 1")
while is_true "$(now) < $deadline"; do
  holds a "$VIP2" || fail "an invalid reload removed HA_2's VIP"
  sleep 0.05
done
log_has b "HA_2) Entering MASTER" && fail "B took HA_2: A stopped advertising after an invalid reload"
pass "an invalid config is refused with its errors; A keeps running HA_2"
