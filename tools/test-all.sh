#!/bin/bash
# Every vigil test, as CI runs it: installs dependencies, builds with -Werror,
# runs the unit tests under ASan+UBSan and the integration tests (network
# namespaces, needs root) against the normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: the integration tests build network namespaces" >&2; exit 1; }
tools/install-deps.sh

setup() {  # setup DIR [meson options]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null
  else meson setup "$dir" "$@" >/dev/null; fi
}
# Debug information as line tables only (-g1): enough for a backtrace, and
# a quarter less compile time than -g.
setup build -Dunit_tests=false -Dcpp_args=-g1  # unit tests: build-asan only
# -O0: the unit tests run in seconds, but compiling them at -O2 under the
# sanitizers took 3.4 times as long (8 of CI's 20 minutes). The -O2 build
# above still gives the product code the warnings that need the optimiser.
setup build-asan --buildtype=debug -Db_sanitize=address,undefined \
  -Db_lundef=false "-Dcpp_args=-fno-sanitize-recover=all -g1"
ninja -C build
ninja -C build-asan

ok=0; failed=0
run_suite() {  # run_suite BUILD SUITE
  local status=0
  meson test -C "$1" --suite "$2" --print-errorlogs || status=$?
  local log="$1/meson-logs/testlog.json"
  ok=$((ok + $(grep -c '"result": "OK"' "$log" || true)))
  failed=$((failed + $(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR)"' "$log" || true)))
  return 0
}
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
run_suite build-asan unit
run_suite build integration
echo "tests: $ok passed, $failed failed"
[ "$failed" = 0 ]
