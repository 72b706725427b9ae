#!/usr/bin/env bash
# Replication lag: a steady rate of registrations through a node's HTTP API (default 500/s
# for 60 s; --quick: 10 s), the node replicating to a hub; from each 2xx to the hub's HTTP API
# serving the record's entry (GET /api/regions/93 answering a tree size that covers the
# entry's log index: a registration is pending, so it is not on the national map yet), p50
# and p99 (bench/replication_lag.mjs). The node's options are the defaults (the uploader's
# poll: --hub-poll-ms 1000) unless ESS_NODE_OPTIONS says otherwise. The peer, in the same run:
# the same steady rate of inserts with pgbench into a bare table, for the rate the machine
# sustains (its lag is nil: there is no second copy). Not part of the test suite.
#   bench/replication_lag.sh [--quick]      full: 3 runs of 60 s; --quick: 1 run of 10 s
# Environment: ESS_BUILD_DIR (default build/), ESS_NODE_BIN, ESS_HUB_BIN (the binaries to
# measure), ESS_NODE_OPTIONS, ESS_BENCH_RUNS, ESS_BENCH_SECONDS, ESS_BENCH_RATE.
# Human output on stderr; one JSON line per run on stdout (bench/run.sh collects them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
runs=${ESS_BENCH_RUNS:-$((quick ? 1 : 3))}
seconds=${ESS_BENCH_SECONDS:-$((quick ? 10 : 60))}
rate=${ESS_BENCH_RATE:-500}
node_bin=${ESS_NODE_BIN:-$build/node/ess-node}
hub_bin=${ESS_HUB_BIN:-$build/hub/ess-hub}
command_line="bench/replication_lag.sh${1:+ $1}"
for exe in "$node_bin" "$hub_bin" "$build/essctl/essctl" /usr/bin/pgbench; do
  [[ -x "$exe" ]] || { echo "replication_lag: $exe introuvable" >&2; exit 1; }
done
command -v node >/dev/null || { echo "replication_lag: Node.js introuvable" >&2; exit 1; }

work=$(mktemp -d /tmp/ess-replication-lag.XXXXXX)
bench_name=replication_lag
# shellcheck source=bench/lib/node_setup.sh
source "$root/bench/lib/node_setup.sh"
trap bench_cleanup EXIT

bench_log "machine: $(nproc) cœurs, $(uptime | sed 's/.*load/load/')"
for run in $(seq 1 "$runs"); do
  bench_start_pg "hub$run" "node$run" "peer$run"
  bench_start_hub "$hub_bin" "$(bench_db "hub$run")"
  # shellcheck disable=SC2086
  bench_start_node "$node_bin" "$(bench_db "node$run")" --hub "127.0.0.1:$hub_grpc_port" \
    ${ESS_NODE_OPTIONS:-}
  # The hub holds the charter and the probe registration before the clock starts.
  size=$(psql -tAq "$(bench_db "node$run")" -c "SELECT tree_size FROM log_head")
  for _ in $(seq 1 600); do
    [[ $(curl -sf "http://127.0.0.1:$hub_http_port/api/regions/93" | jq .tree_size) == "$size" ]] && break
    sleep 0.1
  done
  result=$(node "$root/bench/replication_lag.mjs" "$node_port" "$hub_http_port" "$rate" "$seconds" \
    "$work/body.json" "$(bench_db "node$run")")
  psql -q "$(bench_db "peer$run")" -c "CREATE TABLE registration (id bigserial PRIMARY KEY,
    body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
  printf "INSERT INTO registration (body) VALUES ('%s');\n" "$(sed "s/'/''/g" "$work/body.json")" \
    >"$work/insert.sql"
  peer_out=$(pgbench -n -c 8 -j 2 -R "$rate" -T "$seconds" -f "$work/insert.sql" "$(bench_db "peer$run")" 2>&1)
  peer_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$peer_out" | head -n 1)
  peer_latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$peer_out" | head -n 1)
  p99=$(jq .p99_ms <<<"$result")
  bench_log "run $run: $result; pgbench at ${rate}/s: ${peer_tps:-?} tps, latence moyenne ${peer_latency:-?} ms;" \
    "$(uptime | sed 's/.*load/load/')"
  met=$(jq -r 'if .p99_ms != null and .p99_ms <= 250 and .unseen == 0 then "true" else "false" end' <<<"$result")
  for q in p50 p99; do
    printf '{"bench":"replication_lag","case":"%s_at_%s_per_s","run":%d,"ours":{"value":%s,"unit":"ms"},"peer":{"name":"pgbench INSERT at the same rate (tps, no replica)","value":%s,"unit":"rows/s"},"target":"%s","met":%s,"written_per_s":%s,"command":"%s"}\n' \
      "$q" "$rate" "$run" "$(jq ".${q}_ms" <<<"$result")" "${peer_tps%.*}" \
      "$([[ $q == p99 ]] && echo 'p99 <= 250 ms' || echo 'p99 <= 250 ms (p50 for information)')" \
      "$([[ $q == p99 ]] && echo "$met" || echo "$met")" "$(jq .rate <<<"$result")" "$command_line"
  done
  # Next run on fresh processes and databases.
  for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  bench_pids=()
  rm -f "$work/node.key" "$work/node.key.txt" "$work/hub.ready"
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work/pg"
done
