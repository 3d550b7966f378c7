#!/bin/bash
# The keepalived-style command line: -t checks a config and exits 0 when it is
# valid and non-zero with every error (file:line) when it is not; a missing
# system user is a clear start-up error.
source "$(dirname "$0")/lib.sh"
LAB_DIR=$(mktemp -d /tmp/vigil-cli.XXXXXX)
trap 'rm -rf "$LAB_DIR"' EXIT

write_config a MASTER 100
"$VIGILD" -t -f "$LAB_DIR/a.conf" 2>"$LAB_DIR/ok.txt" || fail "-t refused a valid config: $(cat "$LAB_DIR/ok.txt")"
grep -q "configuration is valid" "$LAB_DIR/ok.txt" || fail "-t printed no verdict"
pass "-t accepts the scenario config (exit 0)"

sed -i 's/priority 100/priority 300/; s/virtual_router_id 51/virtual_router_id 0/' "$LAB_DIR/a.conf"
set +e
"$VIGILD" -t -f "$LAB_DIR/a.conf" 2>"$LAB_DIR/bad.txt"
code=$?
set -e
[ "$code" = 1 ] || fail "-t exit code $code for an invalid config, expected 1"
grep -q "a.conf:[0-9]*:[0-9]*: error: 'priority' must be an integer from 1 to 255" "$LAB_DIR/bad.txt" ||
  fail "no priority error with file:line: $(cat "$LAB_DIR/bad.txt")"
grep -q "a.conf:[0-9]*:[0-9]*: error: 'virtual_router_id' must be" "$LAB_DIR/bad.txt" ||
  fail "not every error listed: $(cat "$LAB_DIR/bad.txt")"
pass "-t lists every error with file:line:column and exits 1"

set +e
"$VIGILD" -t -f "$LAB_DIR/missing.conf" 2>"$LAB_DIR/missing.txt"; code=$?
: >"$LAB_DIR/empty.conf"
"$VIGILD" -t -f "$LAB_DIR/empty.conf" 2>"$LAB_DIR/empty.txt"; code_empty=$?
"$VIGILD" --bogus 2>"$LAB_DIR/usage.txt"; code_usage=$?
set -e
[ "$code" = 1 ] && grep -q "cannot read the configuration" "$LAB_DIR/missing.txt" ||
  fail "missing file: exit $code, $(cat "$LAB_DIR/missing.txt")"
[ "$code_empty" = 1 ] && grep -q "no vrrp_instance" "$LAB_DIR/empty.txt" ||
  fail "empty file: exit $code_empty"
[ "$code_usage" = 2 ] && grep -q "unknown option '--bogus'" "$LAB_DIR/usage.txt" ||
  fail "bad option: exit $code_usage"
pass "missing and empty files exit 1 (keepalived exits 0), a bad option exits 2"

write_config a MASTER 100
set +e
"$VIGILD" -n -l -f "$LAB_DIR/a.conf" -p "$LAB_DIR/x.pid" --brain-user=no-such-vigil-user \
  2>"$LAB_DIR/user.txt"; code=$?
set -e
[ "$code" = 3 ] || fail "missing user: exit $code, expected 3"
grep -q "system user 'no-such-vigil-user' does not exist" "$LAB_DIR/user.txt" ||
  fail "no clear message for a missing user: $(cat "$LAB_DIR/user.txt")"
pass "a missing system user is a clear start-up error (exit 3)"

# --dump-config: the configuration as vigil understood it, as JSON.
write_config a MASTER 100
"$VIGILD" --dump-config -f "$LAB_DIR/a.conf" >"$LAB_DIR/dump.json" || fail "--dump-config failed"
python3 - "$LAB_DIR/dump.json" <<'PY' || fail "--dump-config output is wrong: $(head -c 400 "$LAB_DIR/dump.json")"
import json, sys
c = json.load(open(sys.argv[1]))
i = c["instances"][0]
assert i["name"] == "HA_1" and i["vrid"] == 51 and i["priority"] == 100, i
assert i["vips"][0]["address"] == "192.0.2.100", i["vips"]
assert i["auth_pass"] == "********", "password not masked"
assert i["multicast_group"] == "224.0.0.18", i["multicast_group"]
assert c["scripts"][0]["timeout_ms"] == 1000
PY
pass "--dump-config prints the normalised config as JSON, addresses as text, password masked"

# What depends on the machine is a warning with -t, not an error.
write_config a MASTER 100
sed -i 's/interface eth0/interface vigil-no-such0/; s|script "[^"]*"|script "/nonexistent/check.sh"|
  s/router_id node_a/router_id node_a\n    vrrp_cpu_affinity 1023/' "$LAB_DIR/a.conf"
"$VIGILD" -t -f "$LAB_DIR/a.conf" 2>"$LAB_DIR/machine.txt" ||
  fail "-t failed for machine-dependent problems: $(cat "$LAB_DIR/machine.txt")"
grep -q "warning: interface vigil-no-such0 of vrrp_instance HA_1 does not exist" \
  "$LAB_DIR/machine.txt" || fail "no warning for a missing interface: $(cat "$LAB_DIR/machine.txt")"
grep -q "warning: vrrp_script check_httpd: /nonexistent/check.sh is not an executable" \
  "$LAB_DIR/machine.txt" || fail "no warning for a missing script"
grep -q "a.conf: warning: vrrp_cpu_affinity: CPU 1023 is not one vigild may use here" \
  "$LAB_DIR/machine.txt" || fail "no warning for a CPU this machine lacks"
pass "-t warns about a missing interface, script and CPU (machine-dependent) and still exits 0"
