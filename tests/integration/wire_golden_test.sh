#!/bin/bash
# Issue 3 golden wire test: the adverts vigil puts on the wire, for v2 and for
# v3 over IPv4 in both checksum forms, are what tshark's VRRP dissector
# decodes with the configured fields and a good checksum.
source "$(dirname "$0")/lib.sh"
lab_create vgg
command -v tshark >/dev/null || fail "tshark is not installed"

# check_case NAME VERSION INTERVAL EXTRA TSHARK_V3_AS_V2 EXPECTED_INTERVAL_FIELD
check_case() {
  local name=$1 version=$2 interval=$3 extra=$4 as_v2=$5
  write_plain_config a 200 "$version" "$interval" "$extra"
  ip netns exec "$(ns br)" tcpdump -i br0 -n -U -w "$LAB_DIR/$name.pcap" -c 3 \
    "vrrp or ip6 proto 112" \
    2>"$LAB_DIR/tcpdump-$name.err" &
  local capture=$!
  LAB_PIDS+=("$capture")
  wait_until 5 "tcpdump ready" grep -q "listening on" "$LAB_DIR/tcpdump-$name.err"
  : >"$LAB_DIR/a.log"
  vigild_start a
  wait_until 10 "3 adverts captured ($name)" process_gone "$capture"
  kill -TERM "$(vigild_pid a)"
  wait_until 5 "vigild stopped" process_gone "$(vigild_pid a)"
  local fields
  fields=$(tshark -r "$LAB_DIR/$name.pcap" -o "vrrp.v3_checksum_as_in_v2:$as_v2" \
    -T fields -E separator=, -e ip.ttl -e ipv6.hlim -e ip.dst -e ipv6.dst -e vrrp.version \
    -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.addr_count -e vrrp.ip_addr -e vrrp.ipv6_addr \
    -e vrrp.checksum.status \
    -e vrrp.auth_type -e vrrp.adver_int -e vrrp.short_adver_int -e vrrp.auth_string 2>/dev/null |
    head -1)
  log "$name: $fields" >&2
  echo "$fields"
}

v2=$(check_case v2 2 1 "" FALSE | tail -1)
[ "$v2" = "255,,224.0.0.18,,2,51,200,1,192.0.2.100,,1,1,1,,1111" ] || fail "v2 advert decodes as: $v2"
pass "TX-1/TX-2/TX-4/TX-5: v2 advert: TTL 255, 224.0.0.18, PASS auth, tshark: checksum good"

v3=$(check_case v3 3 0.1 "" FALSE | tail -1)
[ "$v3" = "255,,224.0.0.18,,3,51,200,1,192.0.2.100,,1,,,10," ] || fail "v3 advert decodes as: $v3"
pass "TX-5: v3 over IPv4 with the pseudo-header (default): tshark: checksum good"

v3b=$(check_case v3-as-v2 3 0.1 "v3_checksum_as_v2" TRUE | tail -1)
[ "$v3b" = "255,,224.0.0.18,,3,51,200,1,192.0.2.100,,1,,,10," ] ||
  fail "v3 advert with v3_checksum_as_v2 decodes as: $v3b"
pass "TX-5: v3 over IPv4 without the pseudo-header (v3_checksum_as_v2): tshark: checksum good"

VIP=2001:db8::100
VIP_LINE="fe80::1:51/64
        2001:db8::100/64"
v6=$(check_case v3-ipv6 3 0.1 "" FALSE | tail -1)
[ "$v6" = ",255,,ff02::12,3,51,200,2,,fe80::1:51,2001:db8::100,1,,,10," ] ||
  fail "v3 IPv6 advert decodes as: $v6"
pass "TX-2/TX-5/TX-6: v3 over IPv6: hop limit 255, ff02::12, link-local VIP first, tshark: checksum good"
