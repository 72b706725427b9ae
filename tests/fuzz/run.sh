#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz/build.sh), replays every saved crash input of
# tests/fuzz/regressions/<target>/, then runs each target for SECONDS with its seed corpus
# (tests/fuzz/corpus/<target>/, read only: new inputs go to a temporary directory, so the
# repository is not modified). Fails if any input crashes, leaks or breaks a property; the
# crashing inputs are then kept and their path printed. Prints per target the executions,
# executions per second, inputs added and peak memory (docs/reliability.md, "Fuzzing").
#   tests/fuzz/run.sh 15                 each target 15 s (tests/run.sh)
#   tests/fuzz/run.sh 3600               the long campaign
#   tests/fuzz/run.sh 60 csv json_body   some targets only
# ESS_FUZZ_JOBS targets run at once (default: the number of cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [target...]}
shift
targets=("$@")
((${#targets[@]})) || targets=(entry_batch signed_note payload_schema json_body csv http_request)
jobs=${ESS_FUZZ_JOBS:-$(nproc)}

work=$(mktemp -d -t ess-fuzz.XXXXXX)
echo "== building the fuzz targets (tests/fuzz/build.sh)"
if ! bin=$("$here/build.sh" 2>"$work/build.log" | tail -n 1); then
  tail -n 40 "$work/build.log" >&2
  exit 1
fi

# Replays the saved crash inputs, then fuzzes; one log per target in $work.
fuzz_one() {
  local t=$1 log=$work/$1.log
  local regressions=("$here/regressions/$t"/*)
  if [[ -e ${regressions[0]} ]]; then
    if ! "$bin/fuzz_$t" "${regressions[@]}" >"$work/$t.regressions.log" 2>&1; then
      echo "regression input of $t crashes again (log: $work/$t.regressions.log)" >"$work/$t.failed"
      return
    fi
  fi
  mkdir -p "$work/$t.new"
  local dict=()
  [[ -f $here/dict/$t.dict ]] && dict=(-dict="$here/dict/$t.dict")
  if ! "$bin/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/$t-" "${dict[@]}" \
    "$work/$t.new" "$here/corpus/$t" >"$log" 2>&1; then
    echo "fuzz_$t found a crashing input (log: $log)" >"$work/$t.failed"
  fi
}

echo "== fuzzing ${targets[*]}: ${seconds} s each, $jobs at once"
running=0
for t in "${targets[@]}"; do
  [[ -x $bin/fuzz_$t ]] || { echo "no fuzz target $t" >&2; exit 2; }
  fuzz_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

stat() { sed -n "s/^stat::$1: *//p" "$work/$2.log" 2>/dev/null | tail -n 1; }
failed=0
printf '%-16s %12s %10s %8s %8s\n' target executions exec/s new rss_mb
for t in "${targets[@]}"; do
  printf '%-16s %12s %10s %8s %8s\n' "$t" "$(stat number_of_executed_units "$t")" \
    "$(stat average_exec_per_sec "$t")" "$(stat new_units_added "$t")" "$(stat peak_rss_mb "$t")"
  if [[ -f $work/$t.failed ]]; then
    failed=1
    cat "$work/$t.failed" >&2
    grep -E 'ERROR|property broken|SUMMARY|Test unit written' "$work/$t.log" "$work/$t.regressions.log" \
      2>/dev/null | head -n 20 >&2 || true
  fi
done
if ((failed)); then
  echo "fuzzing failed: inputs and logs kept in $work; save a crashing input under" \
    "tests/fuzz/regressions/<target>/ once fixed" >&2
  exit 1
fi
rm -rf "$work"
echo "fuzzing: no crash"
