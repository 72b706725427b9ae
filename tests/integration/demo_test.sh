#!/usr/bin/env bash
# deploy/demo.sh brings up PostgreSQL, a hub and the region nodes, all answering /healthz;
# Ctrl-C (SIGINT) stops every process and removes the temporary cluster.
#   demo_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
work=$(mktemp -d -t ess-demo-test.XXXXXX)
rmdir "$work"  # demo.sh creates it
log=$(mktemp -t ess-demo-test-log.XXXXXX)
fail() { echo "FAIL: $*"; echo "--- demo output:"; cat "$log"; exit 1; }

ESS_BUILD_DIR=$build ESS_DEMO_DIR=$work ESS_DEMO_SKIP_BUILD=1 setsid "$root/deploy/demo.sh" >"$log" 2>&1 &
demo=$!
trap 'kill -KILL -- -$demo 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 600); do
  grep -q "Ctrl-C" "$log" && break
  kill -0 $demo 2>/dev/null || fail "demo.sh exited before being ready"
  sleep 0.1
done
grep -q "Ctrl-C" "$log" || fail "demo not ready within 60 s"

urls=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$log")
[[ $(wc -l <<<"$urls") -eq 3 ]] || fail "expected a hub and two nodes, got: $urls"
for url in $urls; do
  curl -fsS "${url}healthz" | grep -q '"ok"' || fail "$url does not answer /healthz"
done
service_pids=$(pgrep -f -- "--ready-file $work/" || true)
[[ $(wc -w <<<"$service_pids") -eq 3 ]] || fail "expected 3 service processes, got: $service_pids"
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")

kill -INT -- -$demo   # what Ctrl-C in a terminal does: the whole process group
for _ in $(seq 1 300); do
  kill -0 $demo 2>/dev/null || break
  sleep 0.1
done
kill -0 $demo 2>/dev/null && fail "demo.sh still running 30 s after Ctrl-C"
for pid in $service_pids $pg_pid; do
  # A zombie is gone for good; only a live process counts.
  state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
  [[ -z "$state" || "$state" == Z* ]] || fail "process $pid still running after Ctrl-C"
done
[[ ! -e "$work" ]] || fail "$work still exists after Ctrl-C"
echo "demo: up with 3 services, stopped cleanly by Ctrl-C, nothing left behind"
