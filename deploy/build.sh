#!/usr/bin/env bash
# Configures and builds the project into build/ (or $ESS_BUILD_DIR). Used by demo.sh and
# tests/run.sh after install-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
jobs=${ESS_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$jobs"
