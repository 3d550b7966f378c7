#!/bin/bash
# Issue 7, VIPs: an instance with thousands of VIPs announces each slice of
# them as soon as the kernel has it, not after the last: when the first VIP's
# first NA leaves the host, VIPs are still being added. And the early packet
# is one of the burst, not an extra: every VIP gets garp_master_repeat NAs.
source "$(dirname "$0")/lib.sh"
lab_create vgm a
COUNT=4096  # the kernel takes ~0.2 s for them here; the first slice is 1,024
REPEAT=2
{
  cat <<CONF
vrrp_instance VI_MANY {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 100
    version 3
    advert_int 0.1
    garp_master_repeat $REPEAT
    garp_master_delay 0
    virtual_ipaddress {
        fe80::100
    }
    virtual_ipaddress_excluded {
CONF
  for ((n = 1; n < COUNT; n++)); do printf '        2001:db8:100:%x::1/64\n' "$n"; done
  echo "    }"
  echo "}"
} > "$LAB_DIR/a.conf"

# On the host itself: at the first NA vigil sends for a VIP, how many of the
# VIPs (2001:db8:100::/48) the namespace holds.
in_ns a python3 - "$LAB_DIR/present.txt" <<'PY' &
import socket
import sys
ETH_P_ALL = 3  # outgoing frames reach only the taps of every protocol
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind(("eth0", 0))
open(sys.argv[1] + ".ready", "w").close()
while True:
    try:
        frame, address = s.recvfrom(2048)
    except OSError:  # ENETDOWN: a link event, reported once; read on
        continue
    if address[2] != socket.PACKET_OUTGOING or len(frame) < 14 + 40 + 24:
        continue
    ip6 = frame[14:]
    if frame[12:14] == b"\x86\xdd" and ip6[6] == 58 and ip6[40] == 136:  # NA
        break
with open("/proc/net/if_inet6") as f:
    present = sum(1 for line in f if line.startswith("20010db80100"))
with open(sys.argv[1], "w") as f:
    f.write(f"{present}\n")
PY
LAB_PIDS+=("$!")
wait_until 5 "NA observer ready" test -e "$LAB_DIR/present.txt.ready"
capture_start icmp6 and 'ip6[40] == 136'

vigild_start a
wait_until 30 "first NA seen" test -s "$LAB_DIR/present.txt"
present=$(cat "$LAB_DIR/present.txt")
log "VIPs held when the first NA left: $present of $((COUNT - 1))"
[ "$present" -lt $((COUNT - 1)) ] || fail "the first NA waited for every VIP"
[ "$present" -ge 1 ] || fail "an NA left before any VIP was added"

held() { [ "$(in_ns a grep -c '^20010db80100' /proc/net/if_inet6)" -eq $((COUNT - 1)) ]; }
wait_until 30 "every VIP added" held
# The first burst: REPEAT NAs for each of COUNT VIPs (fe80::100 included).
nas() { grep -c "neighbor advertisement, tgt is" "$LAB_DIR/wire.txt" || true; }
burst_seen() { [ "$(nas)" -ge $((COUNT * REPEAT)) ]; }
wait_until 30 "the first burst on the wire" burst_seen
counts=$(grep -o "tgt is [0-9a-f:]*" "$LAB_DIR/wire.txt" | sort | uniq -c | awk '{ print $1 }' | sort -u | paste -sd' ')
targets=$(grep -o "tgt is [0-9a-f:]*" "$LAB_DIR/wire.txt" | sort -u | wc -l)
[ "$targets" -eq "$COUNT" ] || fail "NAs for $targets of $COUNT VIPs"
[ "$counts" = "$REPEAT" ] || fail "NAs per VIP: $counts, want $REPEAT each (total $(nas))"
pass "first NA with $present of $((COUNT - 1)) VIPs in place; $REPEAT NAs for each of $COUNT VIPs"
# Removing thousands of IPv6 VIPs one by one takes the kernel seconds; the
# namespace's deletion drops them at once.
pids=$(vigil_processes a)
# shellcheck disable=SC2086  # a list of PIDs
kill -KILL $pids 2>/dev/null || true
