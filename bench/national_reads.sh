#!/usr/bin/env bash
# National reads at national scale (issue 12, targets 3 and 5), with the national load they need:
#
# 1. The national load: deploy/demo/generate.mjs (seed 42) prints COUNT initiatives for each of
#    the 18 regions; bench/national_load journals each region's in its node's database (signed
#    with core's RegionLogWriter, as the node's journal writes them); then 18 real ess-node
#    processes replicate to one real ess-hub at once, and the clock runs until the hub holds
#    every entry (all checks made). The hub's database is then kept as a snapshot (pg_dump -Fc,
#    with the hub's key and the load's figures) in $ESS_BENCH_CACHE (default ~/.cache/ess-bench),
#    reused by later runs while the seed, the count, the schemas (core/sql, hub/sql, node/sql),
#    the generator and bench/national_load.cpp are unchanged.
# 2. The reads, against that hub: bench/national_reads.mjs sends QUERIES varied queries of each
#    kind one at a time on a keep-alive connection (keyword; keyword + bbox + filters; clusters
#    for all of France and for one department; one initiative with its proof; indicators; the
#    national site's default view) and takes p50/p99; then wrk, 64 connections, on the clusters
#    (France, department) and indicators paths. The hub runs under /usr/bin/time -v (peak RSS).
# 3. The peer, in the same run on the same database: the SQL statements the hub ran for a
#    capture pass of the same queries (PostgreSQL's log, log_min_duration_statement = 0), one
#    pgbench script per request, run by pgbench one at a time as many times as ours answered
#    (p50/p99 from its per-transaction log) and at 64 clients (transactions/s).
# 4. Memory: peak RSS of the hub during the load and during the reads, and of the nodes (the
#    largest) during the load.
#
# Prints its progress on stderr and the JSON lines of docs/benchmarks.md's contract on stdout.
#   bench/national_reads.sh [--quick]
# Full run: COUNT 111112 per region (2,000,016 initiatives), QUERIES 1000, wrk 20 s.
# --quick: COUNT 300 (5,400), QUERIES 100, wrk 3 s.
# Each query kind stops after ESS_NATIONAL_BUDGET_SECONDS (300; 30 with --quick) even if fewer
# queries were sent (the count measured is in the figure's note).
# Environment: ESS_NATIONAL_COUNT, ESS_NATIONAL_QUERIES, ESS_NATIONAL_WRK_SECONDS override them;
# ESS_BUILD_DIR (default build/release, a Release build made by bench/run.sh unless
# ESS_BENCH_NO_BUILD=1 says it is made); ESS_BENCH_CACHE.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[[ ${1:-} == --quick ]] && quick=1
count=${ESS_NATIONAL_COUNT:-$((quick ? 300 : 111112))}
queries=${ESS_NATIONAL_QUERIES:-$((quick ? 100 : 1000))}
wrk_seconds=${ESS_NATIONAL_WRK_SECONDS:-$((quick ? 3 : 20))}
capture=$((quick ? 30 : 100))
budget=${ESS_NATIONAL_BUDGET_SECONDS:-$((quick ? 30 : 300))}  # per query kind, ours and the peer
seed=42
build=${ESS_BUILD_DIR:-$root/build/release}
cache=${ESS_BENCH_CACHE:-$HOME/.cache/ess-bench}
command="bench/national_reads.sh$( ((quick)) && echo ' --quick' || true)"
Say() { echo "national_reads.sh: $*" >&2; }

if [[ ${ESS_BENCH_NO_BUILD:-0} != 1 ]]; then
  ESS_BUILD_DIR=$build ESS_JOBS=${ESS_JOBS:-2} flock /tmp/ess-build.lock "$root/deploy/build.sh" \
    -DCMAKE_BUILD_TYPE=Release -DESS_BENCH=ON >&2
fi
for exe in hub/ess-hub node/ess-node essctl/essctl bench/national_load; do
  [[ -x $build/$exe ]] || { Say "$build/$exe is not built"; exit 1; }
done
referential=$build/referential.json
regions=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).regions.map((r) => r.code).join(" "))' "$referential")
total=$((count * $(wc -w <<<"$regions")))

work=$(mktemp -d /tmp/ess-national.XXXXXX)
chmod 755 "$work"  # the throwaway PostgreSQL runs as postgres
pids=()
Cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap Cleanup EXIT
trap "exit 143" TERM INT
url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
Db() { echo "${url%/postgres}/$1"; }
Psql() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }

# Starts `exe args...` under /usr/bin/time -v (report in $1.time, log in $1.log); sets `pid` to
# the program's own pid (time does not forward signals).
Timed() {
  local name=$1
  shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1 &
  local wrapper=$!
  pids+=("$wrapper")
  for _ in $(seq 100); do
    pid=$(pgrep -P "$wrapper" | head -1 || true)
    [[ -n $pid ]] && return
    sleep 0.05
  done
  Say "$name did not start"; cat "$work/$name.log" >&2; exit 1
}
# Stops the program started by Timed (SIGTERM, bounded wait) and prints its peak RSS in MB.
Stop() {
  local name=$1 p=$2
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  for _ in $(seq 100); do [[ -s $work/$name.time ]] && grep -q 'Maximum resident' "$work/$name.time" && break; sleep 0.1; done
  awk '/Maximum resident set size/ {printf "%.1f\n", $NF / 1024}' "$work/$name.time"
}
WaitReady() {  # ready-file name
  for _ in $(seq 1200); do
    [[ -s $1 ]] && return
    kill -0 "$pid" 2>/dev/null || { Say "$2 exited"; cat "$work/$2.log" >&2; exit 1; }
    sleep 0.05
  done
  Say "$2 not ready in 60 s"; exit 1
}
StartHub() {  # name
  rm -f "$work/$1.ready"
  Timed "$1" "$build/hub/ess-hub" --database "$(Db hub)" --key-file "$work/hub.key" --http 127.0.0.1:0 \
    --grpc 127.0.0.1:0 --ready-file "$work/$1.ready" --referential "$referential"
  WaitReady "$work/$1.ready" "$1"
  hub_pid=$pid
  hub_http=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$work/$1.ready")
  hub_grpc=127.0.0.1:$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).grpc)' "$work/$1.ready")
}
Json() { node -e "$1" -- "${@:2}"; }

# --- 1. the national load, or its snapshot -------------------------------------------------
inputs=$(cat "$root"/core/sql/*.sql "$root"/hub/sql/*.sql "$root"/node/sql/*.sql "$root/deploy/demo/generate.mjs" \
  "$root/bench/national_load.cpp" | sha256sum | cut -c1-16)
snapshot=$cache/national-seed$seed-count$count-$inputs
mkdir -p "$cache" "$work/data"
Generate() {  # initiatives per region: the same seed gives the same first lines whatever the count
  Say "generating $1 initiatives per region (seed $seed)"
  for r in $regions; do
    node "$root/deploy/demo/generate.mjs" --region "$r" --count "$1" --seed "$seed" \
      --referential "$referential" >"$work/data/$r.jsonl"
  done
}
Psql "$url" -c 'CREATE DATABASE hub'
if [[ -s $snapshot.dump && -s $snapshot.load.jsonl && -s $snapshot.hub.key ]]; then
  Generate $((count < 400 ? count : 400))  # the query material only
  Say "restoring the snapshot $snapshot.dump (the load's figures are those of the run that made it)"
  cp "$snapshot.hub.key" "$work/hub.key"
  pg_restore --no-owner -j 2 -d "$(Db hub)" "$snapshot.dump"
  load_lines=$(cat "$snapshot.load.jsonl")
else
  Generate "$count"
  Say "loading: ${total} initiatives over the 18 regions, through replication"
  "$build/essctl/essctl" keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null
  StartHub hub-load
  for r in $regions; do
    key=$("$build/essctl/essctl" keygen --name "ess-federation/region/$r" --out "$work/node-$r.key" |
      awk -F' : ' '/vérification/ {print $2}')
    "$build/essctl/essctl" region enrol --database "$(Db hub)" --region "$r" --verifier-key "$key" >/dev/null
    Psql "$url" -c "CREATE DATABASE node_$r"
  done
  journal_start=$(date +%s.%N)
  for r in $regions; do
    "$build/bench/national_load" --database "$(Db "node_$r")" --region "$r" --key-file "$work/node-$r.key" \
      --input "$work/data/$r.jsonl" >&2
  done
  journal_seconds=$(echo "$(date +%s.%N) - $journal_start" | bc)
  Say "journals written in ${journal_seconds} s; 18 nodes replicate to the hub"
  start=$(date +%s.%N)
  declare -A node_pid
  for r in $regions; do
    Timed "node-$r" "$build/node/ess-node" --region "$r" --database "$(Db "node_$r")" --key-file "$work/node-$r.key" \
      --http 127.0.0.1:0 --ready-file "$work/node-$r.ready" --referential "$referential" --hub "$hub_grpc" \
      --hub-poll-ms 50 --hub-max-backoff-ms 500
    node_pid[$r]=$pid
  done
  limit=$((quick ? 600 : 7200))
  while :; do
    held=$(curl -sf "http://127.0.0.1:$hub_http/api/regions" | Json '
      let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () =>
        console.log(JSON.parse(t).regions.reduce((a, r) => a + r.tree_size, 0)));' || echo 0)
    ((held >= total)) && break
    if (($(echo "$(date +%s.%N) - $start > $limit" | bc))); then Say "the hub holds $held of $total after $limit s"; exit 1; fi
    sleep 0.2
  done
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  Say "the hub holds all ${total} entries after ${seconds} s"
  node_rss=0
  for r in $regions; do
    rss=$(Stop "node-$r" "${node_pid[$r]}")
    node_rss=$(echo "if ($rss > $node_rss) $rss else $node_rss" | bc)
  done
  hub_rss=$(Stop hub-load "$hub_pid")
  Say "peak RSS: hub $hub_rss MB, largest node $node_rss MB"
  load_lines=$(Json '
    const [total, count, seconds, journal, hub, node, cmd, date] = process.argv.slice(1).map((v, i) => (i < 6 ? Number(v) : v));
    const note = `${total} initiatives (${count} per region, seed 42) from 18 nodes at once; figures of the load made ${date}`;
    const full = total >= 2e6;
    const lines = [
      { bench: "catch_up", case: "national_18_nodes_at_once", ours: { value: total / seconds, unit: "entries/s" },
        note: `${note}; ${seconds.toFixed(1)} s in all (the journals were written in ${journal.toFixed(1)} s before)`, command: cmd },
      { bench: "memory", case: "hub_peak_rss_national_load", ours: { value: hub, unit: "MB" }, target: "<= 300 MB at 2,000,000",
        ...(full ? { met: hub <= 300 } : {}), note, command: cmd },
      { bench: "memory", case: "node_peak_rss_largest_region", ours: { value: node, unit: "MB" }, target: "<= 150 MB at 100,000",
        ...(count >= 1e5 ? { met: node <= 150 } : {}), note: `the largest of the 18 nodes, ${count} entries each, while replicating`, command: cmd },
    ];
    for (const l of lines) console.log(JSON.stringify(l));' \
    "$total" "$count" "$seconds" "$journal_seconds" "$hub_rss" "$node_rss" "$command" "$(date -u +%Y-%m-%d)")
  Say "snapshot: $snapshot.dump"
  pg_dump -Fc -d "$(Db hub)" -f "$snapshot.dump.tmp" && mv "$snapshot.dump.tmp" "$snapshot.dump"
  cp "$work/hub.key" "$snapshot.hub.key"
  echo "$load_lines" >"$snapshot.load.jsonl"
  loaded=1
fi
# The load's figures once per bench/run.sh run: from this run's load, else from the snapshot's.
if [[ ${loaded:-0} == 1 || ${ESS_BENCH_RUN:-1} == 1 ]]; then echo "$load_lines"; fi
Psql "$(Db hub)" -c 'VACUUM ANALYZE'

# --- 2. the peer's statements: a capture pass with every statement logged --------------------
Say "capture pass ($capture queries per kind) with log_min_duration_statement = 0"
Psql "$url" -c 'ALTER DATABASE hub SET log_min_duration_statement = 0'
StartHub hub-capture
offset=$(stat -c %s "$work/pg/log")
node "$root/bench/national_reads.mjs" capture --hub "http://127.0.0.1:$hub_http" --data "$work/data" \
  --queries "$capture" --psql "$(Db hub)" --budget-seconds "$budget"
Stop hub-capture "$hub_pid" >/dev/null
Psql "$url" -c 'ALTER DATABASE hub RESET log_min_duration_statement'
tail -c "+$((offset + 1))" "$work/pg/log" >"$work/capture.log"
node "$root/bench/national_reads.mjs" scripts --log "$work/capture.log" --out "$work/scripts" >"$work/scripts.json"
Say "peer scripts: $(cat "$work/scripts.json")"
# Only the scripts PostgreSQL runs as they are (a parameter's literal may not type as it did).
for f in "$work"/scripts/*/*.sql; do
  if ! err=$(Psql "$(Db hub)" -f "$f" 2>&1 >/dev/null); then
    Say "dropped a script PostgreSQL refuses: ${f#"$work"/}: $(head -c 300 <<<"$err")"
    rm "$f"
  fi
done

# --- 3. ours: the measured pass, then wrk ------------------------------------------------------
Say "measured pass: $queries queries per kind, one at a time"
StartHub hub-reads
node "$root/bench/national_reads.mjs" measure --hub "http://127.0.0.1:$hub_http" --data "$work/data" \
  --queries "$queries" --out "$work/ours.json" --wrk-dir "$work/wrk" --budget-seconds "$budget"
declare -A wrk_rps
for kind in clusters_france clusters_department indicators; do
  wrk -t2 -c64 -d"${wrk_seconds}s" -s "$root/tests/load/wrk_load.lua" "http://127.0.0.1:$hub_http" -- get \
    "$work/wrk/$kind.paths" >"$work/wrk-$kind.out" 2>&1 || true
  wrk_rps[$kind]=$(grep '^ESS_LOAD ' "$work/wrk-$kind.out" | sed 's/^ESS_LOAD //' | Json '
    let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => {
      const j = JSON.parse(t); const ok = j.statuses["200"] ?? 0;
      console.log(JSON.stringify({ rps: ok / (j.duration_us / 1e6), statuses: j.statuses, p99_ms: j.latency_us.p99 / 1000 }));
    });' || echo '{"rps":0}')
  Say "wrk 64 connections on $kind: ${wrk_rps[$kind]}"
  # The next load starts on a hub that answers again (bounded: an overloaded hub is a finding).
  for _ in $(seq 600); do curl -sf -m 1 "http://127.0.0.1:$hub_http/healthz" >/dev/null && break; sleep 0.2; done
done
reads_rss=$(Stop hub-reads "$hub_pid")
Say "hub peak RSS during the reads: $reads_rss MB"

# --- 4. the peer: the same statements through pgbench -----------------------------------------
Say "peer: pgbench on the same statements"
declare -A peer_p50 peer_p99 peer_tps
for kind in $(ls "$work/scripts"); do
  files=()
  for f in $(ls "$work/scripts/$kind"/*.sql 2>/dev/null | head -120); do files+=(-f "$f"); done
  ((${#files[@]})) || continue
  rm -rf "$work/pgb-$kind" && mkdir -p "$work/pgb-$kind"
  n=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]]?.n || 1)' "$work/ours.json" "$kind")
  (cd "$work/pgb-$kind" && timeout $((budget + 60)) pgbench -n -c 1 -t "$n" --log --log-prefix=lat "${files[@]}" "$(Db hub)" >out 2>&1) ||
    { Say "pgbench failed on $kind: $(tail -3 "$work/pgb-$kind/out")"; continue; }
  read -r peer_p50[$kind] peer_p99[$kind] < <(cat "$work/pgb-$kind"/lat* | awk '{print $3 / 1000}' | sort -n |
    awk '{v[NR] = $1} END {i50 = int(NR * 0.5 + 0.999); i99 = int(NR * 0.99 + 0.999); print v[i50], v[i99]}')
  case $kind in
    clusters_france | clusters_department | indicators)
      peer_tps[$kind]=$(pgbench -n -c 64 -j 2 -T "$wrk_seconds" "${files[@]}" "$(Db hub)" 2>&1 |
        awk '/^tps = / && !done {print $3; done = 1}')
      ;;
  esac
  Say "pgbench $kind: p50 ${peer_p50[$kind]} ms, p99 ${peer_p99[$kind]} ms, tps at 64 ${peer_tps[$kind]:--}"
done

# --- 5. the JSON lines ---------------------------------------------------------------------------
peer_json=$(for kind in "${!peer_p50[@]}"; do
  echo "{\"kind\":\"$kind\",\"p50\":${peer_p50[$kind]},\"p99\":${peer_p99[$kind]},\"tps\":${peer_tps[$kind]:-null}}"
done)
wrk_json=$(for kind in "${!wrk_rps[@]}"; do echo "{\"kind\":\"$kind\",\"wrk\":${wrk_rps[$kind]}}"; done)
Json '
  const fs = require("fs");
  const [oursFile, peerText, wrkText, rss, total, queries, wrkSeconds, cmd] = process.argv.slice(1);
  const ours = JSON.parse(fs.readFileSync(oursFile, "utf8"));
  const peer = Object.fromEntries(peerText.split("\n").filter(Boolean).map((l) => { const j = JSON.parse(l); return [j.kind, j]; }));
  const wrk = Object.fromEntries(wrkText.split("\n").filter(Boolean).map((l) => { const j = JSON.parse(l); return [j.kind, j.wrk]; }));
  const full = Number(total) >= 2e6;
  const note = `${total} initiatives over 18 regions; ${queries} varied queries per kind, one at a time, keep-alive`;
  const Peer = (kind, key) => (peer[kind] && peer[kind][key] !== undefined && peer[kind][key] !== null
    ? { name: "pgbench, the same statements, one at a time", value: peer[kind][key], unit: "ms" } : undefined);
  for (const [kind, o] of Object.entries(ours)) {
    const errors = (o.n < o.asked ? `; ${o.n} answered in the time budget` : "") + (o.errors ? `; ${o.errors} errors (not counted)` : "");
    for (const p of ["p50", "p99"]) {
      const line = { bench: "national_reads", case: `${kind}_${p}`, ours: { value: o[`${p}_ms`], unit: "ms" },
        peer: Peer(kind, p), note: note + errors, command: cmd };
      if (p === "p99") Object.assign(line, { target: "<= 50 ms at 2,000,000", ...(full ? { met: o.errors === 0 && o.p99_ms <= 50 } : {}) });
      console.log(JSON.stringify(line));
    }
  }
  for (const [kind, w] of Object.entries(wrk)) {
    const tps = peer[kind]?.tps;
    const bad = Object.entries(w.statuses ?? {}).filter(([s]) => s !== "200").map(([s, n]) => `${n} x ${s}`).join(", ");
    console.log(JSON.stringify({ bench: "national_reads", case: `${kind}_wrk64`, ours: { value: w.rps, unit: "req/s" },
      peer: tps ? { name: "pgbench -c 64, the same statements", value: tps, unit: "tx/s" } : undefined,
      target: ">= 5,000 req/s at 2,000,000", ...(full ? { met: w.rps >= 5000 } : {}),
      note: `wrk -c64 for ${wrkSeconds} s over the varied paths, 200 answers only${bad ? ` (also ${bad})` : ""}; p99 ${w.p99_ms?.toFixed(0)} ms`, command: cmd }));
  }
  console.log(JSON.stringify({ bench: "memory", case: "hub_peak_rss_reads", ours: { value: Number(rss), unit: "MB" },
    target: "<= 300 MB at 2,000,000", ...(full ? { met: Number(rss) <= 300 } : {}), note: `${note}, then wrk`, command: cmd }));' \
  "$work/ours.json" "$peer_json" "$wrk_json" "$reads_rss" "$total" "$queries" "$wrk_seconds" "$command"
