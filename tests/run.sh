#!/usr/bin/env bash
# Runs every test: installs what is missing, checks the format of the changed C++ lines,
# builds, runs the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
# runs the fuzz targets for a short while, starts a throwaway PostgreSQL, runs the whole
# ctest suite. The output ends with ctest's summary.
#   tests/run.sh            everything
#   tests/run.sh -L unit    extra arguments go to the final ctest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
export ESS_BUILD_DIR=$build

# Each step's time, printed before the tests start (docs/operations.md, "Tests").
steps=()
step_start=$SECONDS
step_done() {
  steps+=("$(printf '%-34s %4d s' "$1" $((SECONDS - step_start)))")
  step_start=$SECONDS
}

"$root/deploy/install-deps.sh"
step_done "install-deps"

# The C++ lines changed since a base commit must be as clang-format (.clang-format) writes
# them; the rest of the tree is left as it is. The base: $ESS_FORMAT_BASE if set; else the
# merge base with origin/main if that is not HEAD itself; else HEAD~1 (a fresh clone checks
# its last commit). Uncommitted changes are checked too. See docs/operations.md.
check_format() {
  cd "$root"
  local base=${ESS_FORMAT_BASE:-}
  if [[ -z $base ]]; then
    local head
    head=$(git rev-parse HEAD)
    if git rev-parse -q --verify origin/main >/dev/null; then
      base=$(git merge-base HEAD origin/main || true)
    fi
    if [[ -z $base || $base == "$head" ]]; then
      base=$(git rev-parse -q --verify 'HEAD~1' || echo HEAD)
    fi
  fi
  echo "== clang-format on the C++ lines changed since $(git rev-parse --short "$base")"
  local out
  out=$(git diff -U0 --no-color "$base" -- '*.cpp' '*.cc' '*.h' '*.hpp' | clang-format-diff -p1)
  if [[ -n $out ]]; then
    local files
    files=$(sed -n 's/^--- \([^\t]*\).*/\1/p' <<<"$out" | sort -u | paste -sd' ')
    echo "clang-format: changed lines not formatted in $files; the diff to apply:" >&2
    echo "$out" >&2
    echo "To fix them: git diff -U0 $base | clang-format-diff -p1 -i" >&2
    return 1
  fi
}
(check_format)
step_done "format check"

# The suite's build of build/ (CMakeLists.txt): executables linked with lld when Debian's lld is
# installed, the tests' own code at -O1 -g1, the libraries and executables at -O2 with line
# tables only (-g1: backtraces and sanitizer reports keep files and lines; the packages are
# stripped anyway). ESS_TEST_OPTIMIZE="-O0 -g" ESS_LIBRARY_FLAGS="-O2 -g -DNDEBUG" tests/run.sh
# for full debug information.
library_flags=${ESS_LIBRARY_FLAGS--O2 -g1 -DNDEBUG}
suite_flags=("-DESS_TEST_OPTIMIZE=${ESS_TEST_OPTIMIZE--O1 -g1}"
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$library_flags" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$library_flags")
linker=()
command -v ld.lld >/dev/null 2>&1 && linker=(-DESS_LINKER=lld)
"$root/deploy/build.sh" "${suite_flags[@]}" "${linker[@]}"
step_done "build (deploy/build.sh)"

# Every test labelled "unit" (core, http, node domain and replication, hub payload rules),
# built with only the libraries they link; payload_schema_test and payload_rules_test read the referential
# deploy/build.sh wrote into the main build. Line tables only (-g1), as above.
echo "== unit tests under ASan + UBSan"
asan=$build/asan
cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=Debug -DESS_SANITIZE=ON -DESS_UNIT_ONLY=ON \
  -DCMAKE_CXX_FLAGS_DEBUG="${ESS_SANITIZER_DEBUG_FLAGS--g1}" \
  -DESS_REFERENTIAL_FILE="$build/referential.json" "${linker[@]}" >/dev/null
cmake --build "$asan" -j "${ESS_JOBS:-$(nproc)}"
step_done "sanitizer build"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan" -L unit --output-on-failure
step_done "sanitizer tests"

# The libFuzzer targets (tests/fuzz, docs/reliability.md "Fuzzing"), built with clang into
# $build/fuzz: the saved crash inputs replayed, then each target for $ESS_FUZZ_SECONDS
# (15 s here; tests/fuzz/run.sh 3600 is the long campaign).
"$root/tests/fuzz/run.sh" "${ESS_FUZZ_SECONDS:-15}"
step_done "fuzz build and runs"

echo "== throwaway PostgreSQL"
pgdir=$(mktemp -d -t ess-test-pg.XXXXXX)
cleanup() { "$root/deploy/pg-throwaway.sh" stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
ESS_TEST_PG_URL=$("$root/deploy/pg-throwaway.sh" start "$pgdir")
export ESS_TEST_PG_URL
step_done "throwaway PostgreSQL"

echo "== time of each step before the tests"
printf '  %s\n' "${steps[@]}"
echo "== all tests"
ctest --test-dir "$build" --output-on-failure -j 2 "$@"
