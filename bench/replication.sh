#!/usr/bin/env bash
# Replication catch-up benchmark (bench/replication_bench.cpp): builds the project with the
# benchmarks in build/ (or $ESS_BUILD_DIR) and runs the catch-up of an empty hub from one node,
# then from three nodes at once, 3 times, each run beside PostgreSQL 15's logical replication
# of the same rows (into the hub's indexed national table and into a bare one) and a bare COPY.
# Not part of the test suite. Human output on stderr, one JSON line per case and run on stdout.
#   bench/replication.sh [--quick | entries] [--pg-stats]
# Full run: 200,000 entries per node (three nodes: 600,000); --quick: 20,000 per node.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh" >&2
dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q 'install ok installed' ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libbenchmark-dev >/dev/null
build=${ESS_BUILD_DIR:-$root/build}
if [[ -z "${ESS_BENCH_NO_BUILD:-}" ]]; then
  ESS_BUILD_DIR=$build "$root/deploy/build.sh" -DESS_BENCH=ON >&2
  cmake --build "$build" -j "${ESS_JOBS:-$(nproc)}" --target replication_bench >&2
fi
echo "uptime: $(uptime)" >&2
for run in 1 2 3; do
  echo "== run $run" >&2
  "$build/bench/replication_bench" "$@" --run "$run"
done
