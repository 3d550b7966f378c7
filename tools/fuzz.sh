#!/bin/bash
# Builds the libFuzzer targets with clang under ASan+UBSan and runs each for
# SECONDS (default 60), starting from the seed corpus in tests/fuzz/corpus.
# Findings land in build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# All of vigil's code gets coverage instrumentation (fuzzer-no-link), not only
# the targets' own files.
if [ ! -f build-fuzz/build.ninja ]; then
  CXX=clang++ meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dcpp_args="['-fno-sanitize-recover=all','-fsanitize=fuzzer-no-link']" \
    >/dev/null
fi
ninja -C build-fuzz tests/fuzz/vrrp_packet_fuzz tests/fuzz/config_fuzz tests/fuzz/agent_policy_fuzz tests/fuzz/proto_json_fuzz
mkdir -p build-fuzz/findings
for target in vrrp_packet config agent_policy proto_json; do
  work="build-fuzz/corpus-$target"
  mkdir -p "$work"
  echo "== fuzzing $target for $seconds s"
  build-fuzz/tests/fuzz/${target}_fuzz -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix=build-fuzz/findings/ "$work" "tests/fuzz/corpus/$target" 2>&1 |
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|==.*ERROR|SUMMARY)' || true
done
ls build-fuzz/findings | grep -q . && { echo "findings in build-fuzz/findings"; exit 1; }
echo "no findings"
