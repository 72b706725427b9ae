#!/usr/bin/env bash
# Overload (issue 12, target 6; docs/decisions/0014-overload.md). A real ess-hub over a
# national table of ROWS initiatives loaded by SQL directly (spread over the referential's
# communes; the hub's triggers keep its aggregates and version), then:
#   1. wrk, CONNECTIONS connections for SECONDS s, on the most expensive public query
#      (bench/overload.lua: the clusters of all of France for a keyword, each request its own
#      bbox so that no cache answers it), while bench/overload_probe.mjs asks /healthz and a
#      cheap query (/api/regions) every 50 ms on fresh connections, and AFTER s more once wrk
#      stopped;
#   2. wrk again, then SIGTERM to the hub under that load: the time until the process is gone.
# Both for the hub as it is (route classes, statement timeouts, cancellation: the defaults)
# and, in the same run, the peer: the same binary with --http-route-classes=false and no
# statement timeout or pool wait bound, which is the hub before issue 12 (one pool of workers
# for every request, an unbounded queue; cancellation on hang-up and the bounded stop stay).
# Prints its progress on stderr, the JSON lines of docs/benchmarks.md's contract on stdout:
# probe p50/p99/max (ms) during and after the load, wrk's 200s and 503s, SIGTERM-to-exit.
#   bench/overload.sh [--quick]
# Full run: ROWS 200000, CONNECTIONS 256, SECONDS 60, AFTER 10.
# --quick: ROWS 20000, SECONDS 10, AFTER 3.
# Environment: ESS_OVERLOAD_ROWS, ESS_OVERLOAD_CONNECTIONS, ESS_OVERLOAD_SECONDS,
# ESS_OVERLOAD_AFTER_SECONDS, ESS_OVERLOAD_PATH (bench/overload.lua), ESS_BUILD_DIR (default
# build/release; built here unless ESS_BENCH_NO_BUILD=1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[[ ${1:-} == --quick ]] && quick=1
rows=${ESS_OVERLOAD_ROWS:-$((quick ? 20000 : 200000))}
connections=${ESS_OVERLOAD_CONNECTIONS:-256}
seconds=${ESS_OVERLOAD_SECONDS:-$((quick ? 10 : 60))}
after=${ESS_OVERLOAD_AFTER_SECONDS:-$((quick ? 3 : 10))}
build=${ESS_BUILD_DIR:-$root/build/release}
command="bench/overload.sh$( ((quick)) && echo ' --quick' || true)"
run=${ESS_BENCH_RUN:-1}
Say() { echo "overload.sh: $*" >&2; }

if [[ ${ESS_BENCH_NO_BUILD:-0} != 1 ]]; then
  ESS_BUILD_DIR=$build ESS_JOBS=${ESS_JOBS:-2} flock /tmp/ess-build.lock "$root/deploy/build.sh" \
    -DCMAKE_BUILD_TYPE=Release -DESS_BENCH=ON >&2
fi
for exe in hub/ess-hub essctl/essctl; do
  [[ -x $build/$exe ]] || { Say "$build/$exe is not built"; exit 1; }
done
command -v wrk >/dev/null || { Say "wrk is not installed"; exit 1; }
referential=$build/referential.json

work=$(mktemp -d /tmp/ess-overload.XXXXXX)
chmod 755 "$work"  # the cluster runs as postgres when we are root
hub_pid=''
Cleanup() {
  [[ -z $hub_pid ]] || kill -KILL "$hub_pid" 2>/dev/null || true
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap Cleanup EXIT
url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
db=${url%/postgres}/hub
Psql() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
Psql "$url" -c 'CREATE DATABASE hub'
"$build/essctl/essctl" keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null

StartHub() {  # name options...
  local name=$1
  shift
  rm -f "$work/$name.ready"
  "$build/hub/ess-hub" --database "$db" --key-file "$work/hub.key" --http 127.0.0.1:0 \
    --grpc 127.0.0.1:0 --ready-file "$work/$name.ready" --referential "$referential" \
    --http-max-connections-per-client 0 --log-level warn "$@" >"$work/$name.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1200); do
    [[ -s $work/$name.ready ]] && break
    kill -0 "$hub_pid" 2>/dev/null || { Say "$name exited"; cat "$work/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  port=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$work/$name.ready")
}
# SIGTERM, then the milliseconds until the process is gone (bounded: 120 s, then SIGKILL).
StopHub() {
  local start end
  start=$(date +%s%N)
  kill -TERM "$hub_pid"
  for _ in $(seq 12000); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.01; done
  end=$(date +%s%N)
  kill -KILL "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  hub_pid=''
  echo $(((end - start) / 1000000))
}

# --- the national table, by SQL --------------------------------------------------------------
StartHub schema  # applies the migrations
StopHub >/dev/null
Say "loading $rows initiatives by SQL"
node -e '
  const fs = require("fs");
  const ref = JSON.parse(fs.readFileSync(process.argv[1]));
  const rows = Number(process.argv[2]);
  const communes = ref.communes.filter((c) => c.latitude != null);
  const forms = ref.legal_forms, acts = ref.activities.map((a) => a.code);
  const kinds = ["Épicerie solidaire", "Jardin partagé", "Atelier vélo", "Ressourcerie", "Coopérative d’habitants",
    "Café culturel", "Chantier d’insertion", "Centrale villageoise énergie", "AMAP", "Recyclerie", "Tiers-lieu"];
  const words = ["solidaire", "jardin", "atelier", "epicerie", "velo", "culture", "insertion", "habitat",
    "energie", "alimentation", "cooperative", "reemploi"];
  const out = fs.openSync(process.argv[3], "w");
  let buf = [];
  for (let i = 0; i < rows; i++) {
    const c = communes[(i * 7919) % communes.length], f = forms[i % forms.length];
    const id = "00000000-0000-4000-8000-" + i.toString(16).padStart(12, "0");
    const name = kinds[i % kinds.length] + " " + c.name + " " + i;
    const desc = words[i % words.length] + " " + words[(i * 3) % words.length] + " " + kinds[(i * 5) % kinds.length];
    const act = "{" + acts[i % acts.length] + "," + acts[(i * 7) % acts.length] + "}";
    buf.push([c.region, id, i + 1, JSON.stringify(name), f.family, f.code, JSON.stringify(act), JSON.stringify(desc), c.code,
      JSON.stringify(c.name), c.department, c.latitude, c.longitude].join(","));
    if (buf.length === 5000) { fs.writeSync(out, buf.join("\n") + "\n"); buf = []; }
  }
  if (buf.length) fs.writeSync(out, buf.join("\n") + "\n");
' "$referential" "$rows" "$work/rows.csv"
Psql "$db" <<SQL >&2
CREATE TEMP TABLE staging (region text, record_id uuid, log_index bigint, name text, family text,
  legal_form text, activities text[], description text, commune text, commune_name text,
  department text, latitude float8, longitude float8);
\copy staging FROM '$work/rows.csv' WITH (FORMAT csv, ESCAPE '\\')
INSERT INTO national_initiative (region, record_id, record_version, log_index, name, name_key, family,
  legal_form, activities, description, commune, commune_name, department, latitude, longitude,
  admitted_at, search)
SELECT region, record_id, 1, log_index, name, lower(name), family, legal_form, activities, description,
  commune, commune_name, department, latitude, longitude, now(),
  to_tsvector('ess_french', name || ' ' || description)
FROM staging;
INSERT INTO national_initiative_state (region, record_id, record_version, log_index, status,
  first_admitted_at, changed_at)
SELECT region, record_id, 1, log_index, 'admitted', now(), now() FROM staging;
ANALYZE;
SQL
Say "$(Psql "$db" -c 'SELECT count(*) FROM national_initiative') initiatives in the national table"

# --- one measured pass -------------------------------------------------------------------------
Pass() {  # label hub-options...
  local label=$1
  shift
  StartHub "$label" "$@"
  local now until
  now=$(date +%s%3N)
  until=$((now + (seconds + after) * 1000))
  node "$root/bench/overload_probe.mjs" --port "$port" --until "$until" --every 50 \
    /healthz /api/regions >"$work/$label.probe.json" &
  local probe=$!
  local load_start load_end
  load_start=$(date +%s%3N)
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$root/bench/overload.lua" \
    "http://127.0.0.1:$port/" 2>&1 | grep '^{' >"$work/$label.wrk.json" || true
  load_end=$(date +%s%3N)
  wait "$probe"
  # SIGTERM under load.
  wrk -t2 -c"$connections" -d30s --timeout 10s -s "$root/bench/overload.lua" \
    "http://127.0.0.1:$port/" >/dev/null 2>&1 &
  local again=$!
  sleep 3
  local stop_ms
  stop_ms=$(StopHub)
  kill "$again" 2>/dev/null || true
  wait "$again" 2>/dev/null || true
  Say "$label: wrk $(cat "$work/$label.wrk.json"), SIGTERM to exit ${stop_ms} ms"
  node -e '
    const fs = require("fs");
    const [probeFile, wrkFile, start, end, stop] = process.argv.slice(1);
    const probes = JSON.parse(fs.readFileSync(probeFile));
    const w = JSON.parse(fs.readFileSync(wrkFile, "utf8").trim() || "{}");
    const stats = (list) => {
      const ms = list.map((p) => (p[2] === 0 ? Infinity : p[1])).sort((a, b) => a - b);
      const q = (f) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(f * ms.length))] : null);
      const r = (x) => (x === null ? null : x === Infinity ? -1 : Math.round(x * 10) / 10);
      return { n: ms.length, failed: list.filter((p) => p[2] !== 200).length, p50: r(q(0.5)), p99: r(q(0.99)),
        max: r(ms.length ? ms[ms.length - 1] : null) };
    };
    const out = { wrk: w, stop_ms: Number(stop) };
    for (const [target, list] of Object.entries(probes)) {
      out[target] = { during: stats(list.filter((p) => p[0] < Number(end))),
        after: stats(list.filter((p) => p[0] >= Number(end))) };
    }
    console.log(JSON.stringify(out));
  ' "$work/$label.probe.json" "$work/$label.wrk.json" "$load_start" "$load_end" "$stop_ms" >"$work/$label.json"
  Say "$label: $(cat "$work/$label.json")"
}

Pass ours
Pass before --http-route-classes=false --http-statement-timeout-ms 0 \
  --http-expensive-statement-timeout-ms 0 --http-pool-wait-ms 0
uptime >&2

# --- the JSON lines ----------------------------------------------------------------------------
node -e '
  const fs = require("fs");
  const [oursFile, beforeFile, command, run, connections, seconds] = process.argv.slice(1);
  const ours = JSON.parse(fs.readFileSync(oursFile)), before = JSON.parse(fs.readFileSync(beforeFile));
  const peerName = "the same hub without route classes or timeouts (before issue 12)";
  const line = (c, o, p, unit, target, met, extra = {}) => console.log(JSON.stringify({ bench: "overload", case: c,
    run: Number(run), ours: { value: o, unit, ...extra.ours }, peer: { name: peerName, value: p, unit, ...extra.peer },
    target, met, command }));
  for (const t of ["/healthz", "/api/regions"]) {
    const name = t === "/healthz" ? "healthz" : "cheap_query";
    for (const phase of ["during", "after"]) {
      const o = ours[t][phase], p = before[t][phase];
      const bound = phase === "during" ? 100 : 1000;
      const ok = o.failed === 0 && o.max >= 0 && o.max <= bound;
      line(`${name}_${phase}_load_max`, o.max, p.max, "ms", `every probe <= ${bound} ms`, ok,
        { ours: { p50: o.p50, p99: o.p99, probes: o.n, failed: o.failed },
          peer: { p50: p.p50, p99: p.p99, probes: p.n, failed: p.failed } });
    }
  }
  const ow = ours.wrk, bw = before.wrk;
  line("expensive_answered_200", ow.ok ?? null, bw.ok ?? null, "answers", "(counted)", null,
    { ours: { requests: ow.requests, seconds: ow.seconds, connections: Number(connections), p50_ms: ow.p50_ms, p99_ms: ow.p99_ms },
      peer: { requests: bw.requests, seconds: bw.seconds, p50_ms: bw.p50_ms, p99_ms: bw.p99_ms } });
  line("expensive_busy_503", ow.busy ?? null, bw.busy ?? null, "answers", "excess answered 503 busy, not queued",
    (ow.busy ?? 0) > 0, { ours: { timeouts: ow.timeouts, other: ow.other }, peer: { timeouts: bw.timeouts, other: bw.other } });
  line("sigterm_to_exit", ours.stop_ms, before.stop_ms, "ms", "<= 5000 ms under load", ours.stop_ms <= 5000);
' "$work/ours.json" "$work/before.json" "$command" "$run" "$connections" "$seconds"
