#!/bin/bash
# Issue 6, vigilctl against a running two-host lab:
# - status --json matches the VIP placement `ip addr` shows, on both hosts;
# - stats: the receive-drop counters grow by exactly the bad packets injected
#   (TTL 64, and a bad checksum);
# - demote moves the VIP to the peer and undemote brings it back; watch
#   streams both transitions with sequence numbers;
# - reload reports success, and the errors (file:line) of a broken config;
# - a user the socket's mode does not admit is refused.
source "$(dirname "$0")/lib.sh"
lab_create vcl

VIP2=192.0.2.101
VIGILCTL="$VIGIL_BUILD/ctl/vigilctl"
ctl() { local host=$1; shift; "$VIGILCTL" -s "$LAB_DIR/$host.ctl" "$@"; }

# A stand-in for systemd's notification socket, for A (Type=notify).
python3 -u - "$LAB_DIR/notify.sock" >"$LAB_DIR/notify.txt" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening")
while True:
    print(s.recv(4096).decode().replace("\n", " | "))
PY
LAB_PIDS+=("$!")
wait_until 3 "notify listener" grep -q listening "$LAB_DIR/notify.txt"

for host in a b; do
  if [ $host = a ]; then p1=150 p2=100; else p1=100 p2=150; fi
  {
    echo "global_defs {
    router_id node_$host
    $([ $host = a ] && echo "metrics_listen 127.0.0.1 9650")
}"
    instance_block HA_1 71 "$VIP" $p1
    instance_block HA_2 72 "$VIP2" $p2
  } >"$LAB_DIR/$host.conf"
  if [ $host = a ]; then NOTIFY_SOCKET="$LAB_DIR/notify.sock" vigild_start $host; else vigild_start $host; fi
done
holds() { [ -n "$(in_ns "$1" ip -o addr show dev eth0 to "$2")" ]; }
wait_until 8 "HA_1 on A" holds a "$VIP"
wait_until 8 "HA_2 on B" holds b "$VIP2"
wait_until 8 "A is BACKUP for HA_2" log_has a "HA_2) Entering BACKUP STATE"

# status --json against ip addr: MASTER exactly where the VIP is.
state_of() {  # HOST INSTANCE
  ctl "$1" status --json | python3 -c '
import json, sys
for i in json.load(sys.stdin)["instances"]:
    if i["name"] == sys.argv[1]:
        print(i["state"])' "$2"
}
for host in a b; do
  for pair in "HA_1 $VIP" "HA_2 $VIP2"; do
    set -- $pair
    state=$(state_of $host "$1")
    if holds $host "$2"; then expected=MASTER; else expected=BACKUP; fi
    [ "$state" = $expected ] || fail "status on $host says $1 is $state, ip addr says $expected"
  done
done
ctl a status --json | python3 -c '
import json, sys
i = [i for i in json.load(sys.stdin)["instances"] if i["name"] == "HA_2"][0]
assert i["master_address"] == "192.0.2.2", i
assert i["vips"] == ["192.0.2.101/24"], i
assert i["effective_priority"] == 100 and i["interface"] == "eth0" and i["version"] == 3, i
' || fail "status --json on A has the wrong details for HA_2"
pass "status --json matches ip addr on both hosts (and names B as HA_2's master)"
# READY=1 comes once, with the first summary (every instance out of INIT);
# STATUS= follows each change.
wait_until 3 "STATUS with HA_1 MASTER" grep -q "STATUS=HA_1 MASTER, HA_2 BACKUP$" "$LAB_DIR/notify.txt"
[ "$(grep -c "READY=1" "$LAB_DIR/notify.txt")" = 1 ] || fail "READY=1 not sent exactly once: $(cat "$LAB_DIR/notify.txt")"
head -2 "$LAB_DIR/notify.txt" | grep -q "^READY=1 | STATUS=HA_1 BACKUP, HA_2 BACKUP$" ||
  fail "the first notification is not READY=1 with both instances started: $(cat "$LAB_DIR/notify.txt")"
pass "systemd notification: $(paste -sd'~' "$LAB_DIR/notify.txt" | sed 's/~/; /g')"

# keepalived's signals still work for old scripts, to keepalived's file names.
rm -f /tmp/keepalived.data /tmp/keepalived.stats /tmp/keepalived.json
ln -s "$LAB_DIR/planted" /tmp/keepalived.data  # must be replaced, not followed
kill -USR1 "$(vigild_pid a)"
kill -USR2 "$(vigild_pid a)"
kill -s RTMIN+2 "$(vigild_pid a)"
dumped() { [ -f /tmp/keepalived.data ] && [ ! -L /tmp/keepalived.data ] && [ -f /tmp/keepalived.stats ] && [ -f /tmp/keepalived.json ]; }
wait_until 3 "the three dump files" dumped
[ ! -e "$LAB_DIR/planted" ] || fail "the dump followed a planted symlink"
grep -q "^HA_1 .*MASTER" /tmp/keepalived.data || fail "keepalived.data: $(cat /tmp/keepalived.data)"
grep -q "^receive drops:" /tmp/keepalived.stats || fail "keepalived.stats: $(cat /tmp/keepalived.stats)"
python3 -c 'import json; d = json.load(open("/tmp/keepalived.json")); assert d["status"]["instances"][0]["name"] == "HA_1"' ||
  fail "keepalived.json: $(head -c 300 /tmp/keepalived.json)"
rm -f /tmp/keepalived.data /tmp/keepalived.stats /tmp/keepalived.json
pass "SIGUSR1, SIGUSR2, SIGRTMIN+2 write /tmp/keepalived.data, .stats, .json (a planted symlink is replaced)"

# metrics_listen: Prometheus over HTTP, on loopback only.
metrics=$(in_ns a python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9650/metrics", timeout=3).read().decode())')
grep -q 'vigil_instance_state{instance="HA_1",state="MASTER"} 1' <<<"$metrics" || fail "HTTP metrics: $(head -5 <<<"$metrics")"
[ "$(grep -c '^vigil_adverts_sent_total' <<<"$metrics")" = 2 ] || fail "HTTP metrics lack per-instance counters"
sed 's/metrics_listen 127.0.0.1 9650/metrics_listen 192.0.2.1 9650/' "$LAB_DIR/a.conf" >"$LAB_DIR/public.conf"
status=0
"$VIGILD" -t -f "$LAB_DIR/public.conf" 2>"$LAB_DIR/public.txt" || status=$?
[ $status = 1 ] && grep -q "public.conf:[0-9]*:[0-9]*: .*not a loopback address" "$LAB_DIR/public.txt" ||
  fail "metrics_listen on a public address was not refused: $(cat "$LAB_DIR/public.txt")"
pass "metrics over HTTP on 127.0.0.1:9650 ($(grep -c . <<<"$metrics") lines); a non-loopback metrics_listen is refused"

# Receive drops: 3 adverts with TTL 64, 2 with a bad checksum, sent to A.
drops() {  # HOST REASON
  ctl "$1" stats --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["drops"][sys.argv[1]])' "$2"
}
ttl_before=$(drops a "TTL is not 255")
sum_before=$(drops a "bad checksum")
in_ns b python3 - <<'PY'
import socket, struct
def checksum(data):
    if len(data) % 2: data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16: total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff
def advert(good):
    # VRRPv3, VRID 71, priority 100, one address, 100 ms: a valid advert
    # (checksum with the IPv4 pseudo-header) or one with a broken checksum.
    body = bytes([0x31, 71, 100, 1, 0, 10, 0, 0]) + socket.inet_aton("192.0.2.100")
    pseudo = socket.inet_aton("192.0.2.2") + socket.inet_aton("224.0.0.18") + struct.pack("!BBH", 0, 112, len(body))
    value = checksum(pseudo + body) if good else 0xdead
    return body[:6] + struct.pack("!H", value) + body[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("192.0.2.2"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 64)
for _ in range(3):
    s.sendto(advert(True), ("224.0.0.18", 0))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
for _ in range(2):
    s.sendto(advert(False), ("224.0.0.18", 0))
PY
grown() { [ "$(drops a "TTL is not 255")" = $((ttl_before + 3)) ] && [ "$(drops a "bad checksum")" = $((sum_before + 2)) ]; }
wait_until 3 "drop counters +3 TTL, +2 checksum" grown
sent=$(ctl a stats --json | python3 -c 'import json, sys; print([i for i in json.load(sys.stdin)["instances"] if i["name"] == "HA_1"][0]["adverts_sent"])')
[ "$sent" -gt 5 ] || fail "A's HA_1 has sent $sent adverts"
pass "stats: TTL drops $ttl_before -> $((ttl_before + 3)), checksum drops $sum_before -> $((sum_before + 2)); HA_1 sent $sent adverts"

# demote and undemote, watched.
# Directly, not through ctl(), so that $! is vigilctl itself.
"$VIGILCTL" -s "$LAB_DIR/a.ctl" watch >"$LAB_DIR/watch.txt" 2>&1 &
watcher=$!
LAB_PIDS+=("$watcher")
wait_until 3 "the watcher connected" log_has a "watches transitions"
ctl a demote HA_1 >"$LAB_DIR/demote.txt" || fail "demote failed: $(cat "$LAB_DIR/demote.txt")"
wait_until 3 "HA_1's VIP on B after demote" holds b "$VIP"
wait_until 3 "HA_1's VIP gone from A" not holds a "$VIP"
[ "$(state_of a HA_1)" = BACKUP ] || fail "A's HA_1 is not BACKUP while demoted"
ctl a status | grep -q "HA_1 .*BACKUP .*1 (base 150) demoted" || fail "status does not show the demotion: $(ctl a status)"
ctl a undemote HA_1 >/dev/null || fail "undemote failed"
wait_until 3 "HA_1's VIP back on A" holds a "$VIP"
wait_until 3 "HA_1's VIP gone from B" not holds b "$VIP"
# Numbered per run of the VRRP process, so a gap would show a missed one.
two_watched() { [ "$(grep -c "^#" "$LAB_DIR/watch.txt")" -ge 2 ]; }
wait_until 3 "two transitions watched" two_watched
python3 - "$LAB_DIR/watch.txt" <<'PY' || fail "watch did not show the demotion, then the return: $(cat "$LAB_DIR/watch.txt")"
import re, sys
lines = open(sys.argv[1]).read().splitlines()[:2]
first = re.match(r"#(\d+) HA_1 MASTER -> BACKUP priority 1 \(demoted\)$", lines[0])
second = re.match(r"#(\d+) HA_1 BACKUP -> MASTER priority 150 \(", lines[1])
assert first and second and int(second.group(1)) == int(first.group(1)) + 1, lines
PY
kill "$watcher"
pass "demote moved HA_1's VIP to B, undemote brought it back; watch: $(paste -sd';' "$LAB_DIR/watch.txt")"

# reload, good and bad.
[ "$(ctl a reload)" = reloaded ] || fail "reload of an unchanged config did not report success"
grep -A1 "^RELOADING=1$" "$LAB_DIR/notify.txt" | grep -q "^READY=1$" || fail "no RELOADING=1 then READY=1: $(cat "$LAB_DIR/notify.txt")"
echo "vrrp_instance BROKEN { virtual_router_id 300 }" >>"$LAB_DIR/a.conf"
status=0
ctl a reload >"$LAB_DIR/reload.txt" 2>&1 || status=$?
[ $status = 1 ] || fail "a broken reload exited $status"
grep -q "a.conf:[0-9]*:[0-9]*: .*virtual_router_id" "$LAB_DIR/reload.txt" ||
  fail "the reload errors do not name the place: $(cat "$LAB_DIR/reload.txt")"
holds a "$VIP" || fail "A lost HA_1 after a refused reload"
pass "reload: success reported; a broken config refused with $(grep -c . "$LAB_DIR/reload.txt") lines naming file:line"

# An unprivileged user cannot connect.
# A copy nobody can run wherever the build tree is.
install -m 755 "$VIGILCTL" "$LAB_DIR/vigilctl"
status=0
su nobody -s /bin/sh -c "'$LAB_DIR/vigilctl' -s '$LAB_DIR/a.ctl' status" >"$LAB_DIR/nobody.txt" 2>&1 || status=$?
[ $status = 3 ] && grep -q "permission denied" "$LAB_DIR/nobody.txt" ||
  fail "user nobody was not refused (exit $status): $(cat "$LAB_DIR/nobody.txt")"
pass "user nobody is refused by the socket's mode: $(cat "$LAB_DIR/nobody.txt")"

# Behind the file mode, the brain checks the peer's credentials: with the
# mode loosened by mistake, nobody is still refused (and logged), while a
# member of the control group (root's, here) by a supplementary group only
# is served.
chmod 0666 "$LAB_DIR/a.ctl"
as_nobody() { setpriv --reuid=nobody --regid=nogroup "$@"; }
status=0
as_nobody --clear-groups "$LAB_DIR/vigilctl" -s "$LAB_DIR/a.ctl" status >"$LAB_DIR/nobody.txt" 2>&1 || status=$?
[ $status = 3 ] && grep -q "neither root nor in the control group" "$LAB_DIR/nobody.txt" ||
  fail "with mode 0666, nobody was not refused by its credentials (exit $status): $(cat "$LAB_DIR/nobody.txt")"
log_has a "control socket: refused uid 65534" || fail "the refusal is not logged"
as_nobody --groups=0 "$LAB_DIR/vigilctl" -s "$LAB_DIR/a.ctl" status --json >"$LAB_DIR/member.json" 2>&1 ||
  fail "a member of the control group was refused: $(cat "$LAB_DIR/member.json")"
grep -q '"state"' "$LAB_DIR/member.json" || fail "no status for the group member: $(cat "$LAB_DIR/member.json")"
chmod 0660 "$LAB_DIR/a.ctl"
pass "socket mode 0666: nobody refused by its credentials ($(cat "$LAB_DIR/nobody.txt")); a supplementary member of the group served"

kill -TERM "$(vigild_pid a)"
wait_until 5 "vigild on A stopped" process_gone "$(vigild_pid a)"
grep -q "^STOPPING=1$" "$LAB_DIR/notify.txt" || fail "no STOPPING=1"
[ ! -e "$LAB_DIR/a.ctl" ] || fail "the control socket outlived vigild"
pass "on SIGTERM: STOPPING=1, and the control socket is removed"
