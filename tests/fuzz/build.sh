#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz into $ESS_BUILD_DIR/fuzz (build/fuzz): clang 14,
# -fsanitize=fuzzer,address,undefined, only core, the parts of http/ the fuzzers need and the
# fuzzers (CMake option ESS_FUZZ).
# Prints the directory holding the fuzzers on its last line. Used by tests/fuzz/run.sh.
#   tests/fuzz/build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}/fuzz
jobs=${ESS_JOBS:-$(nproc)}
# -O1 with line tables: quick to build, stack traces with lines; no NDEBUG, so that the
# assertions of the code and of nlohmann-json are checked too.
flags="-O1 -gline-tables-only -fsanitize=fuzzer-no-link,address,undefined"
flags+=" -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DESS_FUZZ=ON -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j "$jobs" --target ess_fuzzers >&2
echo "$build/tests/fuzz"
