#!/bin/bash
# The vigil demo: two web servers share a virtual IP, as in the classic
# keepalived set-up. Builds vigil, creates two hosts in network namespaces on a
# bridge, and plays: start, httpd dies on A (B takes over and sends gratuitous
# ARPs), httpd comes back (A preempts), A is stopped (B takes over after
# Skew_Time), A starts again. Prints a timeline at the end. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: the demo builds network namespaces" >&2; exit 1; }
echo "== installing dependencies and building"
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

source tests/integration/lib.sh
lab_create vdemo

where_is_vip() {
  local on=""
  has_vip a && on="A"
  has_vip b && on="${on:+$on and }B"
  echo "${on:-nowhere}"
}
state_of() { grep -o 'Entering [A-Z]* STATE' "$LAB_DIR/$1.log" | tail -1 | cut -d' ' -f2; }
status() { log "   A is ${STATE_A:-$(state_of a)}, B is $(state_of b); the VIP $VIP is on $(where_is_vip)"; }

log "== hosts: A 192.0.2.1 (state MASTER, priority 100), B 192.0.2.2 (state BACKUP, priority 85)"
log "   vrrp_instance HA_1, VRID 51, advert_int 1, PASS auth, VIP $VIP,"
log "   vrrp_script check_httpd (interval 1, weight -20) on each host"
CAPTURE_FILTER=arp start_pair "" "weight -20"
status

log "== httpd dies on A: A's priority falls to 80, below B's 85"
httpd_stop a
wait_until 10 "B takes the VIP" has_vip b
wait_until 3 "A lets it go" has_no_vip a
status

log "== httpd comes back on A: priority 100 again, A preempts"
httpd_start a
wait_until 10 "A takes the VIP back" has_vip a
wait_until 3 "B lets it go" has_no_vip b
status

log "== SIGTERM to vigild on A: priority-0 advert, B takes over after Skew_Time"
kill -TERM "$(vigild_pid a)"
wait_until 3 "B takes the VIP" has_vip b
wait_until 5 "A's vigild exits" process_gone "$(vigild_pid a)"
STATE_A="stopped"
status
unset STATE_A

log "== vigild starts again on A"
vigild_start a
wait_until 10 "A takes the VIP back" has_vip a
wait_until 3 "B lets it go" has_no_vip b
status

echo
echo "== timeline (both hosts' logs and gratuitous ARPs seen on the bridge)"
mac_a=$(mac_of a); mac_b=$(mac_of b)
interesting='Entering|VIPs on|gratuitous|VRRP_Script\(.*\) (failed|succeeded)|priority 0 advert|stopping'
{
  # time <TAB> host <TAB> what, from both logs and from the capture
  for host in a b; do
    grep -E "$interesting" "$LAB_DIR/$host.log" |
      sed -E "s/^([0-9:.]+) ([a-z-]+)\[[0-9]+\]: /\1\t${host^^}\t\2: /"
  done
  awk -v a="$mac_a" -v b="$mac_b" '/Request who-has/ {
      host = ($2 == a) ? "A" : ($2 == b) ? "B" : "?"
      print substr($1, 1, 12) "\t" host "\twire: gratuitous ARP for " $12 " from " $2 }' \
    "$LAB_DIR/wire.txt" | uniq -c | awk '{ c = $1; sub(/^ *[0-9]+ /, ""); print $0 " (x" c ")" }'
} | sort -s -t$'\t' -k1,1 | awk -F'\t' '{ printf "%s  %s  %s\n", $1, $2, $3 }'
