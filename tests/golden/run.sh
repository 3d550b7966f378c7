#!/bin/bash
# Golden configs. Each valid/NAME.conf must load: `vigild --dump-config`
# prints exactly valid/NAME.json, and its warnings are exactly
# valid/NAME.warnings. Each invalid/NAME.conf must fail `vigild -t` with exit
# status 1 and exactly the messages in invalid/NAME.err (file:line:column).
# UPDATE=1 rewrites the expectations from the current output (review the
# diff before committing).
set -u
dir=$(cd "$(dirname "$0")" && pwd)
VIGILD=${VIGILD:-$dir/../../build/netagent/vigild}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0

expect() {  # expect EXPECTED_FILE ACTUAL_FILE
  if [ "${UPDATE:-}" = 1 ]; then cp "$2" "$1"; return; fi
  if ! diff -u "$1" "$2"; then
    echo "FAIL: $(basename "$1") differs (UPDATE=1 $0 to accept)"
    failed=1
  fi
}

cd "$dir/valid"
for conf in *.conf; do
  name=${conf%.conf}
  # -i fixes the config id, so the @ID lines do not depend on the host name.
  "$VIGILD" -i node_a --dump-config -f "$conf" >"$out/$name.json" 2>"$out/$name.warnings"
  status=$?
  [ "$status" = 0 ] || { echo "FAIL: $conf: exit status $status"; cat "$out/$name.warnings"; failed=1; }
  expect "$name.json" "$out/$name.json"
  expect "$name.warnings" "$out/$name.warnings"
done
cd "$dir/invalid"
for conf in *.conf; do
  name=${conf%.conf}
  "$VIGILD" -t -f "$conf" >/dev/null 2>"$out/$name.err"
  status=$?
  [ "$status" = 1 ] || { echo "FAIL: $conf: exit status $status, expected 1"; failed=1; }
  expect "$name.err" "$out/$name.err"
done
[ "$failed" = 0 ] && echo "golden configs: all as expected"
exit "$failed"
