#!/usr/bin/env bash
# The national aggregates' benchmark (bench/aggregates_bench.cpp): a throwaway PostgreSQL with
# the hub's schema, national rows loaded by SQL with and without the aggregates' triggers, then
# clusters (all of France, one department) and indicators (unfiltered, a region and a period)
# from the aggregates beside the table's statements they replace, 3 runs. Not part of the test
# suite. Human output on stderr, one JSON line per case and run on stdout.
#   bench/aggregates.sh [--quick | rows]
# Full run: 200,000 rows, 1,000 queries per case (50 for the table's statements);
# --quick: 20,000 rows, 200 queries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
rows=200000
queries=1000
if [[ "${1:-}" == "--quick" ]]; then rows=20000; queries=200; elif [[ -n "${1:-}" ]]; then rows=$1; fi
if [[ -z "${ESS_BENCH_NO_BUILD:-}" ]]; then
  cmake --build "$build" -j "${ESS_JOBS:-$(nproc)}" --target aggregates_bench >&2
fi
echo "uptime: $(uptime)" >&2
for run in 1 2 3; do
  dir=$(mktemp -d)
  url=$("$root/deploy/pg-throwaway.sh" start "$dir")
  echo "== run $run ($rows rows)" >&2
  "$build/bench/aggregates_bench" "$url" --rows "$rows" --queries "$queries" --run "$run" || status=$?
  "$root/deploy/pg-throwaway.sh" stop "$dir" >&2
  [[ -z "${status:-}" ]] || exit "$status"
done
