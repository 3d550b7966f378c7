#!/bin/bash
# Issue 7: the benchmark cannot rot. One repetition of its three small cases
# (a crash takeover at 100 ms, CPU per advert, memory), vigil and keepalived;
# the figures are printed, not judged (this machine is busy running tests).
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
VIGIL_BUILD=${VIGIL_BUILD:?set by meson} "$source_dir/bench/run.sh" --smoke | tee /dev/stderr |
  awk 'NR > 1 { rows++ } END { if (rows != 3) { print "expected 3 result rows, got " rows; exit 1 } }'
echo "PASS: bench/run.sh --smoke ran every case for both daemons"
