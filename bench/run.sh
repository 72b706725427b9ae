#!/usr/bin/env bash
# One command for every benchmark of issue 12: installs what the benches need (Debian packages
# only), builds the whole tree in Release in its own build directory, runs each bench N times
# with its peer measured in the same run, collects their JSON lines into
# bench/results/<UTC date>.jsonl and renders the figures section of docs/benchmarks.md
# (between `<!-- bench:begin -->` and `<!-- bench:end -->`) with bench/report.mjs.
# Not part of the test suite.
#
#   bench/run.sh [--quick] [--runs N] [--only NAME[,NAME...]] [--no-build] [--no-doc]
#
#   --quick      every bench at small counts (minutes in all): checks the harness, the figures
#                mean little; the results go to bench/results/<date>-quick.jsonl
#   --runs N     repetitions of each bench (default 3; 1 with --quick)
#   --only       the benches to run, by name: core, catch_up, node_writes, replication_lag,
#                overload, national_reads (default: all)
#   --no-build   use the binaries already in the build directory
#   --no-doc     collect the results, leave docs/benchmarks.md as it is
#
# Environment: ESS_BENCH_BUILD_DIR (default build/release), ESS_JOBS (default 2: the build
# shares the machine), ESS_BENCH_CACHE (the national load's database snapshots, default
# ~/.cache/ess-bench, outside the repository).
#
# Each bench script is called as `<script> [--quick]` with ESS_BUILD_DIR pointing at the
# Release build and ESS_BENCH_NO_BUILD=1 (it must not rebuild); it prints its human output on
# stderr and one JSON object per figure on stdout (docs/benchmarks.md, "Bench output
# contract"). A script that is missing is recorded as "not measured"; one that fails is
# recorded as "not measured" with its exit status and the run goes on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0 runs='' only='' build_it=1 doc=1
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --only) only=$2; shift ;;
    --no-build) build_it=0 ;;
    --no-doc) doc=0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $runs ]] || runs=$((quick ? 1 : 3))
quick_flag=() suffix='' mode=full
if ((quick)); then quick_flag=(--quick) suffix=-quick mode='quick (small counts: checks the harness)'; fi
build=${ESS_BENCH_BUILD_DIR:-$root/build/release}
export ESS_BUILD_DIR=$build ESS_BENCH_NO_BUILD=1 ESS_BENCH_CACHE=${ESS_BENCH_CACHE:-$HOME/.cache/ess-bench}
Say() { echo "== bench/run.sh: $*" >&2; }

# --- what the benches need ---------------------------------------------------------------
if ((build_it)); then
  "$root/deploy/install-deps.sh"
  missing=()
  for p in libbenchmark-dev libssl-dev wrk linux-perf valgrind time postgresql-15 postgresql-contrib; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    Say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # --- the Release build of the whole tree, under the lock other builds of this checkout take
  Say "Release build in $build"
  ESS_JOBS=${ESS_JOBS:-2} flock /tmp/ess-build.lock "$root/deploy/build.sh" \
    -DCMAKE_BUILD_TYPE=Release -DESS_BENCH=ON >&2
fi

# --- the machine ---------------------------------------------------------------------------
date=$(date -u +%Y-%m-%d)
mkdir -p "$root/bench/results"
results=$root/bench/results/$date$suffix.jsonl
machine=${results%.jsonl}.machine.json
: >"$results"
pg_version=$( (pg_config --version 2>/dev/null || ls -d /usr/lib/postgresql/*/ | tail -1) | tr -d '\n')
disk=$(lsblk -dno NAME,SIZE,ROTA,MODEL 2>/dev/null | awk '$2 != "0B" {printf "%s%s %s %s%s", (n++ ? "; " : ""), $1, $2, ($3=="0"?"SSD":"rotating"), ($4!=""?" "$4:"")}')
load_before=$(uptime | sed 's/.*load average: //')
Machine() {  # writes the machine file (again at the end, with the load after)
  node -e '
    const [cpu, cores, ram, disk, system, compiler, pg, commit, before, after, mode, runs, date] = process.argv.slice(1);
    console.log(JSON.stringify({ date, cpu, cores: Number(cores), ram, disk, system, compiler, postgresql: pg, commit,
      load_before: before, load_after: after, mode, runs: Number(runs) }, null, 1));' \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(nproc)" \
    "$(free -h | awk '/^Mem:/ {print $2}')" "$disk" \
    "Debian $(cat /etc/debian_version), $(uname -sr)" "$(c++ --version | head -1)" "$pg_version" \
    "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')" \
    "$load_before" "${1:-}" "$mode" "$runs" \
    "$(date -u '+%Y-%m-%d %H:%M')" >"$machine"
}
Machine

# --- the benches ---------------------------------------------------------------------------
Wanted() { [[ -z $only || ",$only," == *",$1,"* ]]; }
NotMeasured() {  # bench reason
  node -e 'console.log(JSON.stringify({ bench: process.argv[1], not_measured: process.argv[2] }))' "$1" "$2" >>"$results"
}
for b in core catch_up node_writes replication_lag overload national_reads; do
  Wanted $b || NotMeasured $b "not run (bench/run.sh --only $only)"
done
Wanted national_reads || NotMeasured memory "not run (bench/run.sh --only $only; bench/national_reads.sh measures it)"
# Runs `script [--quick]` once; its JSON lines go to the results, the rest to the log.
RunScript() {  # bench script run
  local bench=$1 script=$2 run=$3 log
  log=$root/bench/results/.last-$bench.log
  if [[ ! -x $root/$script ]]; then
    ((run > 1)) || NotMeasured "$bench" "$script is missing"
    [[ $bench != national_reads ]] || ((run > 1)) || NotMeasured memory "$script (which measures it) is missing"
    return
  fi
  Say "$bench, run $run/$runs: $script ${quick_flag[*]}"
  local codes
  set +e
  ESS_BENCH_RUN=$run "$root/$script" "${quick_flag[@]}" 2>"$log" |
    grep -E '^\{' | node -e '
      // Numbers the lines by the harness run unless the script numbered them itself.
      const run = Number(process.argv[1]);
      let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
        for (const l of text.split("\n")) {
          if (!l.trim()) continue;
          try { const j = JSON.parse(l); j.run ??= run; console.log(JSON.stringify(j)); } catch { /* not a figure */ }
        }
      });' "$run" >>"$results"
  codes=("${PIPESTATUS[@]}")
  set -e
  if ((codes[0] != 0)); then
    tail -5 "$log" >&2 || true
    NotMeasured "$bench" "$script failed in run $run (exit status ${codes[0]}; its log: bench/results/.last-$bench.log, not committed)"
  fi
}

if Wanted core; then
  Say "core: core_bench (Google Benchmark)"
  reps=$((quick ? 1 : 5))
  if [[ -x $build/bench/core_bench ]]; then
    "$build/bench/core_bench" --benchmark_repetitions=$reps --benchmark_report_aggregates_only=true \
      --benchmark_format=json --benchmark_min_time=$(((quick)) && echo 0.05 || echo 0.5) 2>/dev/null |
      node -e '
        let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
          const reps = Number(process.argv[1]);
          for (const b of JSON.parse(text).benchmarks) {
            if (reps > 1 && b.aggregate_name !== "median") continue;
            const name = b.run_name ?? b.name;
            console.log(JSON.stringify({ bench: "core", case: name, run: 1,
              ours: { value: b.real_time, unit: b.time_unit }, command: "bench/run.sh --only core" }));
          }
        });' "$reps" >>"$results" || NotMeasured core "core_bench failed"
  else
    NotMeasured core "core_bench is not built"
  fi
fi

for run in $(seq 1 "$runs"); do
  Wanted catch_up && RunScript catch_up bench/replication.sh "$run"
  Wanted node_writes && RunScript node_writes bench/node_writes.sh "$run"
  Wanted replication_lag && RunScript replication_lag bench/replication_lag.sh "$run"
  Wanted overload && RunScript overload bench/overload.sh "$run"
  Wanted national_reads && RunScript national_reads bench/national_reads.sh "$run"
done

Machine "$(uptime | sed 's/.*load average: //')"
Say "results: ${results#"$root"/} ($(wc -l <"$results") lines)"
if ((doc)); then
  (cd "$root" && node bench/report.mjs --results "${results#"$root"/}" --machine "${machine#"$root"/}" \
    --doc docs/benchmarks.md)
  Say "docs/benchmarks.md rendered"
fi
