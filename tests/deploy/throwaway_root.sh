# Sourced by tests/deploy/package_test.sh and admin_guide_test.sh (set test_name first):
# their failure message, their bounded polling, and the throwaway root both install into.

fail() {
  echo "${test_name:?}: FAIL: $*" >&2
  exit 1
}
# Polls `command...` every 0.1 s for at most $1 seconds.
wait_for() {
  local bound=$1
  shift
  local deadline=$((SECONDS + bound))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
# mount_throwaway_root DIR SIZE: an overlay of / at DIR/merged, its upper layer on a tmpfs of
# SIZE (an overlay's upper directory cannot be on an overlay, as / in a container often is).
# Call it in a private mount namespace (unshare --mount): every mount goes with it.
mount_throwaway_root() {
  local dir=$1 size=$2
  mkdir "$dir"
  mount -t tmpfs -o "size=$size,mode=0755" tmpfs "$dir"
  mkdir "$dir/upper" "$dir/work" "$dir/merged"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$dir/merged"
}
