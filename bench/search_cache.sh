#!/usr/bin/env bash
# National search and HTTP caching (issue 12, target 3; docs/decisions/0013-search-and-caching.md)
# on a national table loaded with SQL directly (bench/search_cache_load.sql: COUNT initiatives
# over 18 regions, names of 30 first words, all of France), not through replication: what this
# measures is the read path, and the load takes seconds instead of hours.
#
# 1. SQL, before/after, on the same table: the national site's default view (no keyword, by
#    name, 20 rows) as the hub ran it before (count every match, sort them all) and as it runs
#    now (count up to 10,001, the name index read in order); a broad keyword (count all + rank
#    all, against one statement ranking the first 10,001). Each through pgbench, one client,
#    RUNS transactions: p50/p99 from pgbench's per-transaction log.
# 2. HTTP, through a real ess-hub: QUERIES varied requests one at a time per kind (default view,
#    keyword, keyword + bbox + filter, one record, clusters of France, indicators), each made
#    unique (a parameter the hub ignores, `_`), so that the cache never answers: p50/p99 of the
#    queries themselves; then the same request repeated (the cache answers).
# 3. wrk, 64 connections, WRK_SECONDS each, on the clusters of France and the indicators: the
#    same URL (the cache answers) and a unique URL per request (every request runs its query).
#
# Prints its progress on stderr and one JSON line per figure on stdout (docs/benchmarks.md's
# contract: bench, case, run, ours, peer, target, met, command).
#   bench/search_cache.sh [--quick]
# Full run: COUNT 200000, QUERIES 300, RUNS 200, wrk 10 s. --quick: 20000, 50, 30, 3 s.
# Environment: ESS_SEARCH_COUNT, ESS_SEARCH_QUERIES, ESS_SEARCH_WRK_SECONDS override them;
# ESS_BUILD_DIR (default build/, whatever type it was configured with: say it with the figures).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[[ ${1:-} == --quick ]] && quick=1
count=${ESS_SEARCH_COUNT:-$((quick ? 20000 : 200000))}
queries=${ESS_SEARCH_QUERIES:-$((quick ? 50 : 300))}
runs=$((quick ? 30 : 200))
wrk_seconds=${ESS_SEARCH_WRK_SECONDS:-$((quick ? 3 : 10))}
build=${ESS_BUILD_DIR:-$root/build}
command="bench/search_cache.sh$( ((quick)) && echo ' --quick' || true)"
Say() { echo "search_cache.sh: $*" >&2; }
for exe in hub/ess-hub essctl/essctl; do
  [[ -x $build/$exe ]] || { Say "$build/$exe is not built"; exit 1; }
done

work=$(mktemp -d /tmp/ess-search.XXXXXX)
hub_pid=
Cleanup() {
  [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null || true
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap Cleanup EXIT
url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
db="${url%/postgres}/hub"
psql -qAtX "$url" -c 'CREATE DATABASE hub'

# The hub applies its migrations on start; then the table is filled and the hub restarted.
StartHub() {
  rm -f "$work/ready"
  "$build/hub/ess-hub" --database "$db" --key-file "$work/hub.key" --http 127.0.0.1:0 \
    --grpc 127.0.0.1:0 --ready-file "$work/ready" --referential "$build/referential.json" \
    >"$work/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 600); do
    [[ -s $work/ready ]] && break
    kill -0 "$hub_pid" 2>/dev/null || { cat "$work/hub.log" >&2; exit 1; }
    sleep 0.1
  done
  hub=http://$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$work/ready")
}
"$build/essctl/essctl" keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null
StartHub
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=
Say "loading $count initiatives with SQL"
psql -qAtX -v ON_ERROR_STOP=1 -v n="$count" "$db" -f "$root/bench/search_cache_load.sql" >&2
StartHub
Say "hub at $hub; load: $(uptime)"

# --- 1. SQL before/after through pgbench ------------------------------------------------------
visible="(hide_after IS NULL OR hide_after > now())"
cat >"$work/default_before.sql" <<SQL
SELECT count(*) FROM national_initiative WHERE $visible;
SELECT region, record_id, name FROM national_initiative WHERE $visible ORDER BY name_key, region, record_id LIMIT 21;
SQL
cat >"$work/default_after.sql" <<SQL
SELECT count(*) FROM (SELECT 1 FROM national_initiative WHERE $visible LIMIT 10001) m;
WITH chunk AS MATERIALIZED (SELECT * FROM national_initiative WHERE (name_key, region, record_id) > ('', '', '00000000-0000-0000-0000-000000000000') ORDER BY name_key, region, record_id LIMIT 1024) SELECT e.name_key, f.* FROM (SELECT name_key, region, record_id FROM chunk ORDER BY name_key DESC, region DESC, record_id DESC LIMIT 1) e LEFT JOIN LATERAL (SELECT region, record_id, name FROM chunk WHERE $visible ORDER BY name_key, region, record_id LIMIT 21) f ON true;
SQL
word="to_tsquery('ess_french', 'epicerie:*')"
cat >"$work/keyword_before.sql" <<SQL
SELECT count(*) FROM national_initiative WHERE $visible AND search @@ $word;
SELECT region, record_id, name FROM national_initiative WHERE $visible AND search @@ $word ORDER BY ts_rank(search, $word) DESC, name_key, region, record_id LIMIT 21;
SQL
cat >"$work/keyword_after.sql" <<SQL
WITH m AS MATERIALIZED (SELECT * FROM national_initiative WHERE $visible AND search @@ $word LIMIT 10001) SELECT region, record_id, name, (SELECT count(*) FROM m) FROM m ORDER BY ts_rank(search, $word) DESC, name_key, region, record_id LIMIT 21;
SQL
Percentiles() {  # pgbench log files -> "p50 p99" in ms
  cat "$@" | awk '{print $3 / 1000}' | sort -n | awk '{a[NR] = $1} END {
    i50 = int(NR * 0.5); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1;
    printf "%.2f %.2f\n", a[i50], a[i99]}'
}
Line() {  # bench case ours_value unit peer_name peer_value target met
  node -e 'const [b, c, v, u, pn, pv, t, m, cmd] = process.argv.slice(1);
    console.log(JSON.stringify({bench: b, case: c, run: 1, ours: {value: Number(v), unit: u},
      peer: {name: pn, value: Number(pv), unit: u}, target: t, met: m === "true", command: cmd}))' -- "$@" "$command"
}
for kind in default keyword; do
  declare -A p
  for side in before after; do
    psql -qAtX "$db" -f "$work/${kind}_$side.sql" >/dev/null  # warm
    (cd "$work" && rm -f pgbench_log.* && pgbench -n -f "${kind}_$side.sql" -t "$runs" -c 1 -l "$db" >/dev/null 2>&1)
    p[$side]=$(Percentiles "$work"/pgbench_log.*)
    Say "SQL $kind $side: p50 p99 ms = ${p[$side]}"
  done
  read -r b50 b99 <<<"${p[before]}"
  read -r a50 a99 <<<"${p[after]}"
  Line search_cache "sql_${kind}_p99_${count}" "$a99" ms "the same answer as the hub ran it before (count all, sort all)" "$b99" "<= 50 ms" \
    "$(node -e 'console.log(Number(process.argv[1]) <= 50)' "$a99")"
  Line search_cache "sql_${kind}_p50_${count}" "$a50" ms "before (count all, sort all)" "$b50" "-" false
done

# --- 2. HTTP p50/p99, uncached and cached -----------------------------------------------------
node "$root/bench/search_cache.mjs" --hub "$hub" --queries "$queries" --psql "$db" --out "$work/http.json" >&2
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  for (const [kind, v] of Object.entries(r)) {
    console.log(JSON.stringify({bench: "search_cache", case: `http_${kind}_p99_${process.argv[2]}`, run: 1,
      ours: {value: v.uncached.p99_ms, unit: "ms"},
      peer: {name: "the same request repeated (response cache)", value: v.cached.p99_ms, unit: "ms"},
      target: "<= 50 ms", met: v.uncached.p99_ms <= 50, command: process.argv[3],
      note: `p50 ${v.uncached.p50_ms} ms uncached, ${v.cached.p50_ms} ms cached, n=${v.uncached.n}`}));
  }' "$work/http.json" "$count" "$command"

# --- 3. wrk: cached (one URL) and uncached (a unique URL per request) --------------------------
cat >"$work/unique.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path .. "&_=" .. n .. "-" .. math.random(1e9))
end
LUA
for path in "/api/map/clusters?bbox=-5.3,41.2,9.7,51.2&zoom=5" "/api/indicators?_=0"; do
  name=$([[ $path == *clusters* ]] && echo clusters_france || echo indicators)
  cached=$(wrk -t2 -c64 -d"${wrk_seconds}s" "$hub$path" 2>/dev/null | awk '/Requests\/sec/ {print $2}')
  uncached=$(wrk -t2 -c64 -d"${wrk_seconds}s" -s "$work/unique.lua" "$hub$path" 2>/dev/null | awk '/Requests\/sec/ {print $2}')
  Say "wrk $name: cached $cached req/s, uncached $uncached req/s"
  Line search_cache "wrk_${name}_${count}" "${cached:-0}" "req/s" "every request runs its query (unique URL)" "${uncached:-0}" ">= 5000 req/s" \
    "$(node -e 'console.log(Number(process.argv[1]) >= 5000)' "${cached:-0}")"
done
Say "done; load: $(uptime)"
