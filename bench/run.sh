#!/usr/bin/env bash
# Builds and runs the benchmarks (release build in build/bench), 5 repetitions each, and
# prints the medians. Not part of the test suite: figures go to docs/benchmarks.md.
#   bench/run.sh [google-benchmark flags]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
missing=()
for p in libbenchmark-dev libssl-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
build=${ESS_BUILD_DIR:-$root/build}/bench
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DESS_UNIT_ONLY=ON -DESS_BENCH=ON >/dev/null
cmake --build "$build" -j "${ESS_JOBS:-$(nproc)}" --target core_bench
"$build/bench/core_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_display_aggregates_only=true "$@" 2>&1 | grep -E "^(Run on|CPU|Benchmark|---|BM_.*_median)"
