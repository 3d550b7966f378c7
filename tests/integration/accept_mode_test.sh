#!/bin/bash
# Issue 3 DP-3, Accept_Mode false: a no_accept master drops traffic to its
# VIPs (IPv4 and IPv6) but still answers ARP and neighbour discovery, and
# traffic to its own addresses is untouched; the rules go when vigild stops;
# an address owner (priority 255) accepts whatever no_accept says.
source "$(dirname "$0")/lib.sh"
VIP6=2001:db8::100
lab_create vam a c

write_instances() {  # write_instances PRIORITY: IPv4 and IPv6, both no_accept
  cat > "$LAB_DIR/a.conf" <<CONF
vrrp_instance V4 {
    interface eth0
    virtual_router_id 61
    priority $1
    version 3
    advert_int 0.1
    no_accept
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance V6 {
    interface eth0
    virtual_router_id 62
    priority $1
    advert_int 0.1
    no_accept
    virtual_ipaddress {
        $VIP6/64
    }
}
CONF
}
has_vip6() { [ -n "$(in_ns a ip -o addr show dev eth0 to "$VIP6")" ]; }
pings() { in_ns c ping -c 1 -W 1 "$1" >/dev/null 2>&1; }
stop_vigild() {
  kill -TERM "$(vigild_pid a)"
  wait_until 5 "vigild stopped" process_gone "$(vigild_pid a)"
}

write_instances 100
vigild_start a
wait_until 5 "IPv4 VIP on A" has_vip a
wait_until 5 "IPv6 VIP on A" has_vip6
log_has a "Accept_Mode false (no_accept)" || fail "no warning that traffic to VIPs is dropped"

mac_a=$(mac_of a)
replies=$(in_ns c arping -c 2 -w 3 -I eth0 "$VIP" 2>/dev/null |
  sed -n 's/.*reply from .* \[\(.*\)\].*/\L\1/p' | sort -u)
[ "$replies" = "$mac_a" ] || fail "ARP for the VIP answered by '$replies', expected A ($mac_a)"
pings "${HOST_ADDR[a]}" || fail "A's own address does not answer: the filter is too wide"
pings "$VIP" && fail "the IPv4 VIP answers ping although no_accept is set"
pass "DP-3 IPv4: ARP for the VIP answered by A, ping to the VIP dropped, A's own address reachable"

pings "${HOST_ADDR6[a]}" || fail "A's own IPv6 address does not answer"
pings "$VIP6" && fail "the IPv6 VIP answers ping although no_accept is set"
neighbour=$(in_ns c ip -6 neigh show "$VIP6" dev eth0)
echo "$neighbour" | grep -qi "$mac_a" ||
  fail "neighbour discovery for the IPv6 VIP failed (NS dropped?): '$neighbour'"
pass "DP-3 IPv6: NS/NA for the VIP get through ($neighbour), ping to the VIP dropped"

stop_vigild
# With vigild gone its rules must be gone: an address added by hand answers.
in_ns a ip addr add "$VIP/24" dev eth0
pings "$VIP" || fail "after vigild stopped, traffic to $VIP is still dropped (rules left behind)"
in_ns a ip addr del "$VIP/24" dev eth0
pass "vigild removed its nf_tables rules on exit"

write_instances 255
vigild_start a
wait_until 5 "IPv4 VIP on A (owner)" has_vip a
log_has a "priority 255 owns its VIPs" || fail "no warning that no_accept does not apply to an owner"
wait_until 3 "owner's VIP answers ping" pings "$VIP"
wait_until 3 "owner's IPv6 VIP answers ping" pings "$VIP6"
pass "DP-3: an address owner accepts traffic to its VIPs"
