#!/usr/bin/env bash
# Replication catch-up benchmark (bench/replication_bench.cpp): builds the project with the
# benchmarks in build/ and runs the catch-up of N entries (default 20000) 3 times, each
# against PostgreSQL's own COPY of the same rows. Not part of the test suite.
#   bench/replication.sh [entries]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q 'install ok installed' ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libbenchmark-dev >/dev/null
"$root/deploy/build.sh" -DESS_BENCH=ON >/dev/null
build=${ESS_BUILD_DIR:-$root/build}
cmake --build "$build" -j "${ESS_JOBS:-$(nproc)}" --target replication_bench >/dev/null
for run in 1 2 3; do
  echo "== run $run"
  "$build/bench/replication_bench" "${1:-20000}"
done
