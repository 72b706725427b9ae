#!/usr/bin/env bash
# deploy/demo.sh's restarts and refusals:
# - bad input is refused with a message, before anything starts: an unknown option, a bad
#   ESS_DEMO_COUNT, --resume without ESS_DEMO_DIR or with nothing kept there, an
#   ESS_DEMO_DIR that holds something else (left untouched);
# - `--keep`: Ctrl-C stops every process (PostgreSQL too) but keeps the directory;
# - `--resume` restarts that demo without seeding again: same admitted initiatives and same
#   logs at the nodes and the hub;
# - a plain run in the same directory starts cleanly (the kept demo is replaced), and its
#   Ctrl-C leaves nothing behind.
# Two regions and a few initiatives each, to stay quick.
#   demo_resume_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
parent=$(mktemp -d -t ess-demo-resume.XXXXXX)
chmod 755 "$parent"  # PostgreSQL runs as the postgres user under it
work=$parent/demo
log=$parent/out.log
# shellcheck source=tests/integration/demo_test_lib.sh
source "$root/tests/integration/demo_test_lib.sh"
demo_pid=""
on_exit() {
  if [[ -n "$demo_pid" ]]; then kill -KILL -- "-$demo_pid" 2>/dev/null || true; fi
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$parent"
}
trap on_exit EXIT
export ESS_DEMO_REGIONS="93 52" ESS_DEMO_COUNT=6

# Runs demo.sh to completion (it must refuse): expects a non-zero exit and MESSAGE in its output.
expect_refusal() {
  local message=$1
  shift
  local rc=0
  ESS_BUILD_DIR=$build ESS_DEMO_SKIP_BUILD=1 timeout 30 "$root/deploy/demo.sh" "$@" >"$log" 2>&1 || rc=$?
  ((rc != 0 && rc != 124)) || fail "expected a refusal (\"$message\"), got exit $rc"
  grep -qF -- "$message" "$log" || fail "expected \"$message\" in the output"
}
expect_refusal "option inconnue : --bogus" --bogus
ESS_DEMO_COUNT=abc expect_refusal "ESS_DEMO_COUNT : un entier"
(unset ESS_DEMO_DIR; expect_refusal "le définir" --resume)
ESS_DEMO_DIR=$work expect_refusal "rien à reprendre" --resume
[[ ! -e "$work" ]] || fail "--resume with nothing kept created $work"
mkdir -p "$parent/other" && echo "précieux" >"$parent/other/notes.txt"
ESS_DEMO_DIR=$parent/other expect_refusal "n'est pas vide et n'est pas une démo"
[[ "$(cat "$parent/other/notes.txt")" == "précieux" ]] || fail "a foreign ESS_DEMO_DIR was touched"
echo "demo: bad input refused before anything started"

# 1. --keep: seeded, then Ctrl-C keeps the directory.
ESS_DEMO_DIR=$work start_demo --keep
wait_demo_ready 240
hub=$(hub_url)
mapfile -t nodes < <(node_flags)
[[ ${#nodes[@]} -eq 2 ]] || fail "expected two region nodes, got: ${nodes[*]}"
# shellcheck disable=SC2046
first=$(node "$root/tests/integration/demo_check.mjs" --hub "$hub" $(printf '%s\n' "${nodes[@]}")) ||
  fail "national counts do not match the regions after seeding"
mapfile -t services < <(service_pids "$work")
[[ ${#services[@]} -eq 3 ]] || fail "expected 3 service processes, got: ${services[*]}"
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
ctrl_c_and_check_gone "${services[@]}" "$pg_pid"
[[ -f "$work/.seeded" && -d "$work/pg/data" ]] || fail "--keep did not keep the seeded demo in $work"
grep -q "deploy/demo.sh --resume" "$log" || fail "no hint on how to resume"
echo "demo: --keep stopped everything and kept $work ($first)"

# 2. --resume: the same data, no seeding.
ESS_DEMO_DIR=$work start_demo --resume
wait_demo_ready 120
grep -q "peuplement" "$log" && fail "--resume seeded again"
hub=$(hub_url)
mapfile -t nodes < <(node_flags)
# shellcheck disable=SC2046
second=$(node "$root/tests/integration/demo_check.mjs" --hub "$hub" $(printf '%s\n' "${nodes[@]}")) ||
  fail "national counts do not match the regions after --resume"
[[ "$second" == "$first" ]] || fail "after --resume: $second, before: $first"
mapfile -t services < <(service_pids "$work")
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
ctrl_c_and_check_gone "${services[@]}" "$pg_pid"
[[ -f "$work/.seeded" ]] || fail "--resume did not keep the demo at Ctrl-C"
echo "demo: --resume restarted the kept demo without seeding ($second)"

# 3. A plain run in the same directory starts from scratch; its Ctrl-C removes everything.
ESS_DEMO_DIR=$work ESS_DEMO_REGIONS=76 ESS_DEMO_COUNT=4 start_demo
wait_demo_ready 240
grep -q "l'ancienne de $work est arrêtée et effacée" "$log" || fail "the kept demo was not replaced"
mapfile -t nodes < <(node_flags)
[[ ${#nodes[@]} -eq 1 && "${nodes[0]}" == "--node 76="* ]] || fail "expected only region 76, got: ${nodes[*]}"
mapfile -t services < <(service_pids "$work")
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
ctrl_c_and_check_gone "${services[@]}" "$pg_pid"
[[ ! -e "$work" ]] || fail "$work still exists after Ctrl-C"
echo "demo: a new run replaced the kept demo; Ctrl-C left nothing behind"
