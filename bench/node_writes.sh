#!/usr/bin/env bash
# Node writes: registrations per second through the node's HTTP API (validate, store, journal,
# sign), 32 concurrent clients (wrk), the public rate limit raised by its options
# (--participation.rate-per-minute / --participation.rate-burst). The peer, in the same run and
# on the same PostgreSQL: pgbench inserting the same JSON body into a bare jsonb table with the
# same 32 clients (what PostgreSQL alone does with the rows, no validation, no journal).
# Not part of the test suite.
#   bench/node_writes.sh [--quick]     full: 3 runs of 20 s each side; --quick: 1 run of 5 s
# Environment: ESS_BUILD_DIR (default build/), ESS_NODE_BIN (the ess-node to measure, default
# $ESS_BUILD_DIR/node/ess-node), ESS_NODE_OPTIONS (more ess-node options, e.g. --http-workers 8),
# ESS_BENCH_RUNS, ESS_BENCH_SECONDS, ESS_BENCH_CLIENTS.
# Human output on stderr; one JSON line per run on stdout (bench/run.sh collects them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
runs=${ESS_BENCH_RUNS:-$((quick ? 1 : 3))}
seconds=${ESS_BENCH_SECONDS:-$((quick ? 5 : 20))}
clients=${ESS_BENCH_CLIENTS:-32}
node_bin=${ESS_NODE_BIN:-$build/node/ess-node}
command_line="bench/node_writes.sh${1:+ $1}"
for exe in "$node_bin" "$build/essctl/essctl" /usr/bin/wrk /usr/bin/pgbench; do
  [[ -x "$exe" ]] || { echo "node_writes: $exe introuvable" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ess-node-writes.XXXXXX)
bench_name=node_writes
# shellcheck source=bench/lib/node_setup.sh
source "$root/bench/lib/node_setup.sh"
trap bench_cleanup EXIT
log() { bench_log "$@"; }

bench_start_pg node peer
node_db=$(bench_db node)
peer_db=$(bench_db peer)
bench_start_node "$node_bin" "$node_db" ${ESS_NODE_OPTIONS:-}
base=http://127.0.0.1:$node_port
cat >"$work/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/body.json", "rb")
wrk.body = f:read("*a")
f:close()
EOF

psql -q "$peer_db" -c "CREATE TABLE registration (id bigserial PRIMARY KEY, body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now())"
printf "INSERT INTO registration (body) VALUES ('%s');\n" "$(sed "s/'/''/g" "$work/body.json")" \
  >"$work/insert.sql"

log "machine: $(nproc) cœurs, $(uptime | sed 's/.*load/load/')"
for run in $(seq 1 "$runs"); do
  before=$(psql -tAq "$node_db" -c "SELECT count(*) FROM initiative")
  out=$(wrk -t2 -c"$clients" -d"${seconds}s" -s "$work/post.lua" "$base/api/initiatives")
  after=$(psql -tAq "$node_db" -c "SELECT count(*) FROM initiative")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<<"$out")
  ours=$(awk -v n=$((after - before)) -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  checkpoints=$(psql -tAq "$node_db" -c "SELECT count(*) FROM log_checkpoint")
  peer_out=$(pgbench -n -c "$clients" -j 2 -T "$seconds" -f "$work/insert.sql" "$peer_db" 2>&1)
  peer=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$peer_out" | head -n 1)
  peer=${peer%.*}
  log "run $run: ours $ours registrations/s ($((after - before)) in ${seconds}s, ${non2xx:-0} non-2xx," \
    "$checkpoints checkpoints so far); pgbench $peer inserts/s; $(uptime | sed 's/.*load/load/')"
  printf '{"bench":"node_writes","case":"registrations_%dc","run":%d,"ours":{"value":%s,"unit":"registrations/s"},"peer":{"name":"pgbench INSERT of the same JSON body","value":%s,"unit":"rows/s"},"target":">= 2000/s","met":%s,"command":"%s"}\n' \
    "$clients" "$run" "$ours" "${peer:-0}" "$( ((ours >= 2000)) && echo true || echo false)" "$command_line"
done
