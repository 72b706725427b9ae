#!/usr/bin/env bash
# docs/admin-guide.md, followed literally on a throwaway Debian 12 system:
# 1. cpack makes the packages twice from the suite's build tree: the release (Debian revision
#    1) and an upgrade (revision 2, the guide's "new release");
# 2. the guide's sh blocks become a script (tests/deploy/guide-script.mjs), so the guide
#    cannot drift from what is tested;
# 3. the system: an overlay of / over a tmpfs, in a mount namespace of this script's own,
#    booted with systemd as its PID 1 by systemd-nspawn, on a private network (loopback
#    only), hub.example.org resolving to 127.0.0.1; its PostgreSQL is Debian's own
#    postgresql@15-main, started by its systemd; the packages in /root/ess-packages;
# 4. the script runs there as root: installs, keys, mutual TLS, enrolment, the services
#    started by systemctl (their units' hardening for real), sync checked, key rotated,
#    upgrade, backup, restore of an older backup (the hub reports it), recovery;
# 5. after it: the upgrade's version is installed, the services run as ess with no new
#    privileges, and the hub's /api/regions says the region is caught up.
# On a failure: the failing block's output and the services' journal.
#   admin_guide_test.sh BUILD_DIR
# Needs root allowed to mount and systemd-nspawn (deploy/install-deps.sh): exits 77
# (skipped) without mount rights.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

test_name=admin_guide_test
source "$root/tests/deploy/throwaway_root.sh"

if [[ ${1:-} == --inside ]]; then
  # --- In the private mount namespace: the system, booted; the guide; what it left ---
  work=$2
  mount_throwaway_root "$work/root" 2g
  m=$work/root/merged
  # A new machine: its own machine id, no ess user or files from the host, only the
  # services the guide needs (what this host runs for other tests is masked).
  rm -f "$m/etc/machine-id"
  for unit in prometheus.service prometheus-node-exporter.service pg_receivewal@.service \
    docker.service containerd.service; do
    ln -sf /dev/null "$m/etc/systemd/system/$unit"
  done
  if chroot "$m" getent passwd ess >/dev/null || [[ -e $m/etc/ess ]]; then
    fail "this host has an ess user or /etc/ess: the throwaway system would not be new"
  fi
  echo "127.0.0.1 hub.example.org" >>"$m/etc/hosts"
  # No network: apt knows only what is installed (newer versions in the host's lists would be
  # downloads the closed system cannot make).
  find "$m/var/lib/apt/lists" -maxdepth 1 -type f -delete
  mkdir -p "$m/root/ess-packages/upgrade"
  cp "$work"/packages/*.deb "$m/root/ess-packages/"
  cp "$work"/upgrade/*.deb "$m/root/ess-packages/upgrade/"
  cp "$work/admin-guide.sh" "$m/root/admin-guide.sh"

  # The sources, read-only, for the test's own check of the hub's page (Chromium and
  # playwright-core from web/node_modules: the host's, as the packages' dependencies are).
  boot_started=$SECONDS
  systemd-nspawn --directory="$m" --register=no --keep-unit --link-journal=no \
    --private-network --bind-ro="$root:/opt/ess-src" --boot --console=pipe --quiet \
    >"$work/boot.log" 2>&1 &
  nspawn=$!
  # The system's PID 1: nspawn's child running systemd (its first children are short-lived
  # helpers).
  leader=
  find_leader() {
    leader=$(ps -o pid=,comm= --ppid "$nspawn" | awk '$2 == "systemd" { print $1; exit }')
    [[ -n $leader ]]
  }
  wait_for 30 find_leader || fail "systemd-nspawn started no system: $(cat "$work/boot.log")"
  inside() { nsenter --target "$leader" --all env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
  poweroff() {
    inside systemctl poweroff >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$nspawn" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$nspawn" 2>/dev/null || true
    wait "$nspawn" 2>/dev/null || true
  }
  trap poweroff EXIT
  booted() {
    local state
    state=$(inside systemctl is-system-running 2>/dev/null) || true
    [[ $state == running || $state == degraded ]]
  }
  if ! wait_for 90 booted; then
    inside systemctl --failed --no-pager >&2 || true
    fail "the throwaway system did not finish booting within 90 s: $(tail -n 20 "$work/boot.log")"
  fi
  inside systemctl is-active --quiet postgresql@15-main ||
    fail "Debian's PostgreSQL (postgresql@15-main) is not running in the throwaway system"
  echo "admin_guide_test: booted a throwaway Debian 12 system in $((SECONDS - boot_started)) s"

  # At the guide's "NŒUD EN RETARD SUR LE HUB", the hub's Synchronisation page in Chromium.
  if ! inside GUIDE_HOOK_EXPECT='NŒUD EN RETARD SUR LE HUB' \
    GUIDE_HOOK='node /opt/ess-src/tests/deploy/restored-region-page.mjs http://127.0.0.1:8090 93' \
    bash /root/admin-guide.sh /root/ess-packages; then
    echo "--- the services' journal (last lines):" >&2
    inside journalctl -u ess-node -u ess-hub --no-pager -n 60 >&2 || true
    fail "the admin guide's commands failed (above)"
  fi

  # What the guide left: the upgrade installed, the services as their units say, in sync.
  for package in ess-node ess-hub essctl; do
    version=$(inside dpkg-query -W -f='${Version}' "$package")
    [[ $version == *-2 ]] || fail "$package is at $version after the guide's upgrade, not revision 2"
  done
  for service in ess-node ess-hub; do
    pid=$(inside systemctl show -p MainPID --value "$service")
    [[ $pid != 0 ]] || fail "$service is not running at the end of the guide"
    status=$(inside cat "/proc/$pid/status")
    [[ $(inside stat -c %U "/proc/$pid") == ess ]] || fail "$service does not run as ess"
    grep -qP '^NoNewPrivs:\t1$' <<<"$status" || fail "$service runs without NoNewPrivileges"
    grep -qP '^CapEff:\t0+$' <<<"$status" || fail "$service holds capabilities"
    exposure=$(inside systemd-analyze security "$service" 2>/dev/null | tail -n 1) || true
    echo "admin_guide_test: $service runs as ess, no new privileges, no capability; ${exposure:-}"
  done
  regions=$(inside curl -fsS http://127.0.0.1:8090/api/regions)
  grep -q '"node_behind_entries":0' <<<"$regions" ||
    fail "the hub still reports the node behind after the recovery: $regions"
  grep -q '"lag_entries":0' <<<"$regions" || fail "the hub is not caught up: $regions"
  echo "admin_guide_test: the hub's /api/regions: region 93 caught up, nothing reported"
  exit 0
fi

# --- The packages and the script, made outside ---
build=$(cd "${1:?usage: admin_guide_test.sh BUILD_DIR}" && pwd)
if [[ $(id -u) -ne 0 ]] || ! unshare --mount true 2>/dev/null; then
  echo "admin_guide_test: needs root allowed to mount (unshare --mount): skipped"
  exit 77
fi
command -v systemd-nspawn >/dev/null || fail "systemd-nspawn is missing (deploy/install-deps.sh)"
for exe in node/ess-node hub/ess-hub essctl/essctl; do
  [[ -x $build/$exe ]] || fail "$build/$exe is not built (cpack packages the built executables)"
done
work=$(mktemp -d -t ess-admin-guide.XXXXXX)
trap 'rm -rf "$work"' EXIT
started=$SECONDS
for release in 1 2; do
  out=$work/packages
  ((release == 1)) || out=$work/upgrade
  if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" \
    -D CPACK_DEBIAN_PACKAGE_RELEASE="$release" >"$work/cpack-$release.log" 2>&1; then
    cat "$work/cpack-$release.log" >&2
    fail "cpack failed (Debian revision $release)"
  fi
done
echo "admin_guide_test: cpack made $(cd "$work/packages" && echo *.deb) and revision 2 in $((SECONDS - started)) s"
node "$root/tests/deploy/guide-script.mjs" "$root/docs/admin-guide.md" >"$work/admin-guide.sh"
unshare --mount --propagation private "$0" --inside "$work"
echo "admin_guide_test: OK in $SECONDS s"
