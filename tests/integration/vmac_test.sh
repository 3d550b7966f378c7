#!/bin/bash
# Issue 4, use_vmac: each node makes vrrp.51, a macvlan with the virtual
# router MAC 00:00:5e:00:01:33. The master holds the VIP there and sends its
# adverts from that MAC; the client's ARP answer for the VIP is that MAC
# alone, and stays the same after a failover, so no cache has to move. A clean
# stop removes the VMAC.
source "$(dirname "$0")/lib.sh"
VMAC=00:00:5e:00:01:33
lab_create vgv a b c
for host in a b; do
  instance_block HA_1 51 "$VIP" "$([ $host = a ] && echo 100 || echo 85)" \
    "use_vmac" > "$LAB_DIR/$host.conf"
done
vmac_holds_vip() { [ -n "$(in_ns "$1" ip -o addr show dev vrrp.51 to "$VIP" 2>/dev/null)" ]; }
arp_macs() {
  in_ns c arping -c 2 -w 3 -I eth0 "$VIP" 2>/dev/null |
    sed -n 's/.*reply from .* \[\(.*\)\].*/\L\1/p' | sort -u
}
capture_start -e vrrp
vigild_start a
vigild_start b
wait_until 5 "VIP on A's VMAC" vmac_holds_vip a
wait_until 5 "B in BACKUP" log_has b "Entering BACKUP STATE"
[ "$(in_ns a cat /sys/class/net/vrrp.51/address)" = "$VMAC" ] || fail "vrrp.51 on A has the wrong MAC"
vmac_holds_vip b && fail "the backup's VMAC holds the VIP"
wait_until 3 "an advert from the VMAC on the wire" grep -q "^.* $VMAC > 01:00:5e:00:00:12" "$LAB_DIR/wire.txt"
pass "A's VMAC vrrp.51 ($VMAC) holds the VIP and sends the adverts"

[ "$(arp_macs)" = "$VMAC" ] || fail "ARP for the VIP answered by '$(arp_macs)', expected only $VMAC"
pass "the client's ARP answer for the VIP is the VMAC alone"

kill -TERM "$(vigild_pid a)"
wait_until 3 "VIP on B's VMAC" vmac_holds_vip b
wait_until 5 "vigild on A stopped" process_gone "$(vigild_pid a)"
in_ns a ip link show vrrp.51 >/dev/null 2>&1 && fail "A's VMAC is still there after a clean stop"
[ "$(arp_macs)" = "$VMAC" ] || fail "after failover ARP answered by '$(arp_macs)'"
pass "after failover B's VMAC answers with the same MAC; A removed its VMAC"
