#!/usr/bin/env bash
# The main job: a local federation. Starts its own PostgreSQL, a national hub and regional
# nodes, prints their addresses, and runs until Ctrl-C, which stops everything and removes
# the temporary cluster.
#   deploy/demo.sh
# Environment: ESS_DEMO_REGIONS (default "93 76"), ESS_DEMO_DIR (default: a new temp dir),
# ESS_DEMO_SKIP_BUILD=1 to use an existing build (the test suite does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
export ESS_BUILD_DIR=$build
regions=(${ESS_DEMO_REGIONS:-93 76})

if [[ "${ESS_DEMO_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/deploy/install-deps.sh"
  "$root/deploy/build.sh"
fi

work=${ESS_DEMO_DIR:-$(mktemp -d -t ess-demo.XXXXXX)}
mkdir -p "$work"
chmod 755 "$work"  # the PostgreSQL server runs as the postgres user and needs to reach $work/pg
pids=()
stopping=0
cleanup() {
  stopping=1
  echo
  echo "demo: arrêt..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
  echo "demo: tout est arrêté, $work supprimé."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) for a service's ready file, or fails if the process died.
wait_ready() {
  local file=$1 pid=$2 name=$3
  for _ in $(seq 1 300); do
    [[ -s "$file" ]] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "demo: $name s'est arrêté, voir $work/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "demo: $name pas prêt après 30 s, voir $work/$name.log" >&2
  exit 1
}
port_of() { sed -E "s/.*\"$2\":([0-9]+).*/\1/" "$1"; }

echo "demo: PostgreSQL jetable dans $work/pg"
pg_url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
db_url() { echo "${pg_url%/postgres}/$1"; }
create_db() { psql -q "$pg_url" -c "CREATE DATABASE $1" >/dev/null; }

create_db hub
"$build/essctl/essctl" keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null
"$build/hub/ess-hub" --database "$(db_url hub)" --key-file "$work/hub.key" \
  --http 127.0.0.1:0 --grpc 127.0.0.1:0 --ready-file "$work/hub.ready" >"$work/hub.log" 2>&1 &
pids+=($!)
wait_ready "$work/hub.ready" "${pids[-1]}" hub
hub_http=$(port_of "$work/hub.ready" http)
hub_grpc=$(port_of "$work/hub.ready" grpc)

declare -A node_http
for region in "${regions[@]}"; do
  create_db "region_$region"
  "$build/essctl/essctl" keygen --name "ess-federation/region/$region" --out "$work/node-$region.key" >/dev/null
  "$build/node/ess-node" --region "$region" --database "$(db_url "region_$region")" \
    --key-file "$work/node-$region.key" --hub "127.0.0.1:$hub_grpc" \
    --http 127.0.0.1:0 --ready-file "$work/node-$region.ready" >"$work/node-$region.log" 2>&1 &
  pids+=($!)
  wait_ready "$work/node-$region.ready" "${pids[-1]}" "node-$region"
  node_http[$region]=$(port_of "$work/node-$region.ready" http)
done

echo
echo "Fédération locale prête :"
echo "  hub national   http://127.0.0.1:$hub_http/   (gRPC 127.0.0.1:$hub_grpc)"
for region in "${regions[@]}"; do
  echo "  région $region      http://127.0.0.1:${node_http[$region]}/"
done
echo "  journaux : $work/*.log"
echo "Ctrl-C pour tout arrêter."
# Runs until Ctrl-C, or until a service stops on its own.
wait -n "${pids[@]}" || true
[[ $stopping -eq 1 ]] || echo "demo: un service s'est arrêté, voir $work/*.log" >&2
