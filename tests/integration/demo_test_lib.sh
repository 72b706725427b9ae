# Helpers shared by demo_test.sh and demo_resume_test.sh (sourced, not run). They expect
# `root`, `build`, `log` (the demo's output file) and define `fail`.

fail() {
  echo "FAIL: $*"
  echo "--- demo output:"
  cat "$log" 2>/dev/null || true
  exit 1
}

# Starts deploy/demo.sh ARGS... in its own session (so the test can send what Ctrl-C sends:
# SIGINT to the whole process group); its output goes to $log. Sets demo_pid.
# shellcheck disable=SC2120  # arguments are optional
start_demo() {
  : >"$log"
  ESS_BUILD_DIR=$build ESS_DEMO_SKIP_BUILD=1 setsid "$root/deploy/demo.sh" "$@" >"$log" 2>&1 &
  demo_pid=$!
}

# Waits (bounded, SECONDS) until the demo prints its final line, or fails if it exits first.
wait_demo_ready() {
  local limit=$1 start=$SECONDS
  while ((SECONDS - start < limit)); do
    grep -q "Ctrl-C pour tout arrêter" "$log" && return 0
    kill -0 "$demo_pid" 2>/dev/null || fail "demo.sh exited before being ready"
    sleep 0.2
  done
  fail "demo not ready within $limit s"
}

# The URLs the demo printed: the hub's, and "--node CODE=URL" pairs for demo_check.mjs.
hub_url() { sed -n 's|^  hub national : \(http://[^ ]*\).*|\1|p' "$log"; }
node_flags() { sed -n 's|^  région \([0-9]*\) : \(http://[^ ]*\)$|--node \1=\2|p' "$log"; }

# The pids of the demo's services (hub and nodes name their ready file under $1).
service_pids() { pgrep -f -- "--ready-file $1/" || true; }

# Ctrl-C: SIGINT to the demo's process group, then waits (bounded) for demo.sh to exit and
# checks every pid given is gone (a zombie is gone for good; only a live process counts).
ctrl_c_and_check_gone() {
  kill -INT -- "-$demo_pid"
  for _ in $(seq 1 300); do
    kill -0 "$demo_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$demo_pid" 2>/dev/null && fail "demo.sh still running 30 s after Ctrl-C"
  local pid state
  for pid in "$@"; do
    state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
    [[ -z "$state" || "$state" == Z* ]] || fail "process $pid still running after Ctrl-C"
  done
  wait "$demo_pid" 2>/dev/null || true
}
