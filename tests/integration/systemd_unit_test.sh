#!/bin/bash
# Issue 6, the systemd unit: systemd-analyze (offline; CI has no systemd
# running) accepts it, and its exposure score is well below that of the unit
# Debian's keepalived ships, measured the same way in the same run.
set -euo pipefail
unit="$(dirname "$0")/../../packaging/vigil.service"
fail() { echo "FAIL: $*"; exit 1; }
score() { systemd-analyze security --offline=true "$1" 2>&1 | awk '/Overall exposure level/ { print $(NF - 2) }'; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$unit" "$work/vigil.service"
ours=$(score "$work/vigil.service")
theirs=$(score /lib/systemd/system/keepalived.service)
echo "systemd-analyze security --offline=true: vigil.service $ours, keepalived.service $theirs"
[ -n "$ours" ] && [ -n "$theirs" ] || fail "no score"
awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a <= 4.0 && a < b) }' ||
  fail "vigil.service exposure $ours (keepalived $theirs)"
grep -q "^Type=notify$" "$unit" || fail "the unit is not Type=notify"
grep -q "^ExecReload=/usr/sbin/vigilctl reload$" "$unit" || fail "no ExecReload"
# Syntax and directives: only the missing binaries may be reported.
problems=$(systemd-analyze verify "$work/vigil.service" 2>&1 | grep -v "is not executable\|Command 'man " || true)
[ -z "$problems" ] || fail "systemd-analyze verify: $problems"
echo "PASS: the unit verifies; exposure $ours against keepalived's $theirs"
