#!/bin/bash
# Issue 3 DP-1/DP-2/DP-3 from a client on the same link: only the master
# answers ARP for the VIP, and with its own MAC (keepalived-compatible mode,
# no VMAC); the backup neither holds nor answers for the VIP; traffic to the
# VIP is accepted on the master (Accept_Mode true, keepalived's default).
# An IPv6 virtual_ipaddress_excluded in this IPv4 instance follows the master
# without being advertised, and so do its virtual_routes and an address with
# its own `dev` (lo).
source "$(dirname "$0")/lib.sh"
EXCLUDED=2001:db8::100
lab_create vgd a b c
holds_excluded() { [ -n "$(in_ns "$1" ip -o addr show dev eth0 to "$EXCLUDED")" ]; }
has_routes() {
  [ -n "$(in_ns "$1" ip route show 198.51.100.0/24 via 192.0.2.254 metric 20)" ] &&
    [ -n "$(in_ns "$1" ip route show table 100 type blackhole 198.51.100.128/25)" ]
}
holds_on_lo() { [ -n "$(in_ns "$1" ip -o addr show dev lo to 192.0.2.200)" ]; }
CAPTURE_FILTER="-v vrrp" start_pair "virtual_ipaddress_excluded {
        $EXCLUDED/64
        192.0.2.200/32 dev lo
    }
    virtual_routes {
        198.51.100.0/24 via 192.0.2.254 metric 20
        blackhole 198.51.100.128/25 table 100
    }"
holds_excluded a || fail "the master does not hold the excluded address"
holds_excluded b && fail "the backup holds the excluded address"
holds_on_lo a || fail "the master lacks 192.0.2.200 on lo (dev lo)"
holds_on_lo b && fail "the backup holds 192.0.2.200 on lo"
wait_until 3 "an advert on the wire" grep -q "vrid 51" "$LAB_DIR/wire.txt"
grep -q "$EXCLUDED" "$LAB_DIR/wire.txt" && fail "the excluded address was advertised"
pass "virtual_ipaddress_excluded (one with dev lo): on the master only, never in an advert"
has_routes a || fail "the master lacks its virtual_routes: $(in_ns a ip route show table all)"
has_routes b && fail "the backup has the virtual_routes"
pass "virtual_routes on the master only"

mac_a=$(mac_of a)
mac_b=$(mac_of b)

arp_replies() {  # MACs that answered ARP for the VIP from the client
  in_ns c arping -c 3 -w 3 -I eth0 "$VIP" 2>/dev/null |
    sed -n 's/.*reply from .* \[\(.*\)\].*/\L\1/p' | sort -u
}
replies=$(arp_replies)
[ "$replies" = "$mac_a" ] || fail "ARP for the VIP answered by '$replies', expected only A ($mac_a)"
has_no_vip b || fail "the backup holds the VIP"
pass "DP-1/DP-2: only the master (A, $mac_a) answers ARP for the VIP; the backup has no VIP"

in_ns c ping -c 2 -W 1 "$VIP" >/dev/null || fail "the VIP does not answer ping on the master"
pass "DP-3: the master accepts traffic to the VIP (Accept_Mode true, keepalived's default)"

kill -TERM "$(vigild_pid a)"
wait_until 3 "VIP on B" has_vip b
wait_until 3 "VIP gone from A" has_no_vip a
# The client's ARP cache was updated by B's gratuitous ARP.
wait_until 2 "client's neighbour entry points to B" bash -c \
  "ip netns exec $(ns c) ip neigh show $VIP | grep -qi '$mac_b'"
replies=$(arp_replies)
[ "$replies" = "$mac_b" ] || fail "after failover ARP answered by '$replies', expected only B"
wait_until 2 "the excluded address moved to B" holds_excluded b
wait_until 2 "the dev lo address moved to B" holds_on_lo b
wait_until 2 "the virtual_routes moved to B" has_routes b
in_ns c ping -c 2 -W 1 "$VIP" >/dev/null || fail "the VIP does not answer ping on the new master"
pass "after failover only B answers for the VIP, and the client's cache moved to B"
