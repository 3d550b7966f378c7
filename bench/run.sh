#!/bin/bash
# The benchmark (bench/README.md): vigil and keepalived on identical
# keepalived.conf files, in the same two-host namespace lab, in the same run.
# As root on Debian 12:  bench/run.sh [--smoke] [--reps N] [--only NAME]
# Builds a release tree (build-bench) unless VIGIL_BUILD names one, writes the
# full run's figures to bench/results.json (a smoke run writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: the benchmark builds network namespaces" >&2; exit 1; }
smoke=0
for arg in "$@"; do [ "$arg" = --smoke ] && smoke=1; done
if [ -z "${VIGIL_BUILD:-}" ]; then
  tools/install-deps.sh
  if [ -f build-bench/build.ninja ]; then meson setup --reconfigure build-bench --buildtype=release >/dev/null
  else meson setup build-bench --buildtype=release -Dtests=false >/dev/null; fi
  ninja -C build-bench >/dev/null
  VIGIL_BUILD=$PWD/build-bench
fi
systemd-sysusers "$PWD/packaging/vigil.sysusers" >/dev/null
json=()
[ $smoke = 1 ] || json=(--json bench/results.json)
exec python3 bench/vrrp_bench.py --build "$VIGIL_BUILD" "${json[@]}" "$@"
