#!/usr/bin/env bash
# Acceptance of the one-command demo: deploy/demo.sh, with a small data set (ESS_DEMO_COUNT,
# default here 12 per region), brings up PostgreSQL, the hub and three region nodes, seeds
# them through their HTTP APIs and waits for the hub; then, through the HTTP APIs of hub and
# nodes, the hub's national counts equal the sum of the regions' admitted initiatives (per
# region and in total), the hub holds each region's whole log, and the report-then-suspend
# and the erasure reached it; every payload journalled (hub's and nodes' log_entry, read with
# psql) is valid for its published schema (docs/schemas/, with ajv: demo_payloads_check.mjs).
# Ctrl-C (SIGINT to the process group) stops every process and removes the demo's directory.
#   demo_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
count=${ESS_DEMO_TEST_COUNT:-12}
work=$(mktemp -d -t ess-demo-test.XXXXXX)
rmdir "$work"  # demo.sh creates it
log=$(mktemp -t ess-demo-test-log.XXXXXX)
# shellcheck source=tests/integration/demo_test_lib.sh
source "$root/tests/integration/demo_test_lib.sh"
on_exit() {
  kill -KILL -- "-$demo_pid" 2>/dev/null || true
  if [[ -d "$work" ]]; then
    "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  rm -f "$log"
}
demo_pid=""
trap on_exit EXIT

ESS_DEMO_DIR=$work ESS_DEMO_COUNT=$count start_demo
started=$SECONDS
wait_demo_ready 240
echo "demo: ready in $((SECONDS - started)) s with $count initiatives per region"

hub=$(hub_url)
mapfile -t nodes < <(node_flags)
[[ -n "$hub" ]] || fail "no hub URL printed"
[[ ${#nodes[@]} -eq 3 ]] || fail "expected three region nodes, got: ${nodes[*]}"
for url in "$hub" $(printf '%s\n' "${nodes[@]}" | sed 's/.*=//'); do
  curl -fsS "$url/healthz" | grep -q '"ok"' || fail "$url does not answer /healthz"
done
grep -q "^    admin@paca.example" "$log" || fail "the PACA admin login is not printed"
grep -q "^    comite1@occitanie.example .*présidence du comité" "$log" || fail "the committee logins are not printed"
# shellcheck disable=SC2046  # one --node flag per word
summary=$(node "$root/tests/integration/demo_check.mjs" --hub "$hub" --suspended-erased \
  $(printf '%s\n' "${nodes[@]}")) || fail "national counts do not match the regions (see above)"
echo "demo: national counts = regions' admitted: $summary"

# Every payload journalled, in the hub's database and each node's, valid for its published
# schema (docs/schemas/, with ajv): read from log_entry through the demo's PostgreSQL.
pg_port=$(sed -n 4p "$work/pg/data/postmaster.pid")
[[ "$pg_port" =~ ^[0-9]+$ ]] || fail "no PostgreSQL port in $work/pg/data/postmaster.pid"
pg_base="postgresql://postgres@127.0.0.1:$pg_port"
databases=(--database "hub=$pg_base/hub")
for flag in "${nodes[@]}"; do
  region=${flag#--node }
  region=${region%%=*}
  databases+=(--database "region_$region=$pg_base/region_$region")
done
payloads=$(node "$root/tests/integration/demo_payloads_check.mjs" "${databases[@]}") ||
  fail "journalled payloads do not all validate against docs/schemas (see above)"
mapfile -t payloads <<<"$payloads"
echo "demo: every journalled payload is valid for docs/schemas (ajv):"
printf '  %s\n' "${payloads[@]}"

mapfile -t services < <(service_pids "$work")
[[ ${#services[@]} -eq 4 ]] || fail "expected 4 service processes (hub + 3 nodes), got: ${services[*]}"
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
ctrl_c_and_check_gone "${services[@]}" "$pg_pid"
[[ ! -e "$work" ]] || fail "$work still exists after Ctrl-C"
echo "demo: up with 4 services, stopped cleanly by Ctrl-C, nothing left behind"
