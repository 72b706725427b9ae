#!/usr/bin/env bash
# Configures and builds the project into build/ (or $ESS_BUILD_DIR), and generates the
# common referential (build/referential.json) from the npm territory data. Used by demo.sh
# and tests/run.sh after install-deps.sh. ESS_BUILD_TARGETS (e.g. "ess-node ess-hub essctl",
# as deploy/container/Dockerfile does) builds only those targets; default: everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
jobs=${ESS_JOBS:-$(nproc)}
mkdir -p "$build"
referential=$build/referential.json
if [[ ! -s "$referential" || "$root/deploy/referential/ess-codes.json" -nt "$referential" ||
      "$root/deploy/referential/build-referential.mjs" -nt "$referential" ||
      "$root/web/package-lock.json" -nt "$referential" ]]; then
  node "$root/deploy/referential/build-referential.mjs" "$referential"
fi
# Region and department outlines for the maps (web/generated/, not committed).
outlines=$root/web/generated/regions.geojson
if [[ ! -s "$outlines" || "$referential" -nt "$outlines" ]]; then
  node "$root/deploy/referential/build-outlines.mjs" "$referential" "$root/web/generated"
fi
# Place names for the maps' plain background (web/generated/places*.geojson).
places=$root/web/generated/places.geojson
if [[ ! -s "$places" || "$referential" -nt "$places" || "$root/deploy/referential/build-places.mjs" -nt "$places" ]]; then
  node "$root/deploy/referential/build-places.mjs" "$referential" "$root/web/generated"
fi
# The CSV import's template (web/generated/import-modele.{xlsx,csv}, import-valeurs.csv).
template=$root/web/generated/import-modele.xlsx
if [[ ! -s "$template" || "$referential" -nt "$template" ||
      "$root/deploy/referential/build-import-template.mjs" -nt "$template" ]]; then
  node "$root/deploy/referential/build-import-template.mjs" "$referential" "$root/web/generated"
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
read -ra targets <<<"${ESS_BUILD_TARGETS:-}"
cmake --build "$build" -j "$jobs" ${targets[@]+--target "${targets[@]}"}
