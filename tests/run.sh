#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, starts a throwaway PostgreSQL, runs the
# whole ctest suite. The output ends with ctest's summary.
#   tests/run.sh            everything
#   tests/run.sh -L unit    extra arguments go to the final ctest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
export ESS_BUILD_DIR=$build

"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"

# Every test labelled "unit" (core, http, node domain, hub replication), built with only the
# libraries they link; payload_schema_test and hub_replication_unit_test read the referential
# deploy/build.sh wrote into the main build.
echo "== unit tests under ASan + UBSan"
asan=$build/asan
cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DESS_SANITIZE=ON -DESS_UNIT_ONLY=ON \
  -DESS_REFERENTIAL_FILE="$build/referential.json" >/dev/null
cmake --build "$asan" -j "${ESS_JOBS:-$(nproc)}"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan" -L unit --output-on-failure

echo "== throwaway PostgreSQL"
pgdir=$(mktemp -d -t ess-test-pg.XXXXXX)
cleanup() { "$root/deploy/pg-throwaway.sh" stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
ESS_TEST_PG_URL=$("$root/deploy/pg-throwaway.sh" start "$pgdir")
export ESS_TEST_PG_URL

echo "== all tests"
ctest --test-dir "$build" --output-on-failure -j 2 "$@"
