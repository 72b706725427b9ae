#!/usr/bin/env bash
# The Debian packages (cmake/packaging.cmake; docs/operations.md, "Packages"), made with cpack
# from the suite's build tree, checked, installed into a throwaway root and run there:
# 1. cpack makes ess-node, ess-hub and essctl; dpkg-deb shows each one's files and modes,
#    conffiles, dependencies (dpkg-shlibdeps' libraries) and maintainer scripts; lintian
#    finds no error in them;
# 2. the throwaway root is an overlay of / over a temporary upper directory, mounted in a
#    mount namespace of this script's own (unshare), so every mount goes with it, even when
#    the test is killed; apt-get installs the three .deb there without downloading anything
#    (their dependencies are the host's, deploy/install-deps.sh installs them);
# 3. in that root: the user ess and the modes the postinst set, systemd-analyze verify on the
#    installed units, their ExecStart binary answering --help;
# 4. the installed ess-hub and ess-node, as the user ess, on the root made read-only, with no
#    new privileges and no capability (what the units ask, as far as it goes without systemd
#    as PID 1), each from its installed /etc/ess/*.conf (mutual TLS on between them:
#    deploy/make-test-certs.sh's certificates where the configs name them) with a key made by
#    the installed essctl, against a throwaway PostgreSQL: READY=1 on $NOTIFY_SOCKET
#    (Type=notify), /healthz, the site's page and Leaflet from the packaged web files, the
#    packaged referential loaded, the node's channel to the hub up over mutual TLS (/readyz);
# 5. the packages installed again keep the admin's configuration; purged, they leave the
#    user and the admin's keys.
# A package missing a file fails the step that needs it, naming the file.
#   package_test.sh BUILD_DIR
# Needs root allowed to mount (as in the suite's container): exits 77 (skipped) otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

test_name=package_test
source "$root/tests/deploy/throwaway_root.sh"

if [[ ${1:-} == --inside ]]; then
  # --- In the private mount namespace: the throwaway root, the installation, the services ---
  work=$2
  pg_url=$3
  mount_throwaway_root "$work/root" 1g
  m=$work/root/merged
  mount --rbind /dev "$m/dev"
  mount -t proc proc "$m/proc"
  mount -t tmpfs tmpfs "$m/tmp"
  mount -t tmpfs tmpfs "$m/run"
  in_root() { chroot "$m" "$@"; }
  mkdir "$m/tmp/packages"
  cp "$work"/packages/*.deb "$m/tmp/packages/"
  started=$SECONDS
  debs=("$m"/tmp/packages/*.deb)
  if ! in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    "${debs[@]#"$m"}" >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    fail "apt-get install of the three packages failed in the throwaway root"
  fi
  echo "package_test: installed into the throwaway root in $((SECONDS - started)) s"

  # The user and the modes the postinst set (dpkg-statoverride: kept by upgrades).
  user=$(in_root getent passwd ess) || fail "no system user ess after installation"
  [[ $user == *:/nonexistent:/usr/sbin/nologin ]] || fail "the user ess has a home or a shell: $user"
  for expected in "/etc/ess root:ess 750" "/etc/ess/node.conf root:ess 640" \
    "/etc/ess/hub.conf root:ess 640"; do
    read -r path owner mode <<<"$expected"
    actual=$(in_root stat -c '%U:%G %a' "$path") || fail "$path is not installed"
    [[ $actual == "$owner $mode" ]] || fail "$path is $actual, expected $owner $mode"
  done
  in_root dpkg-statoverride --list /etc/ess/node.conf >/dev/null ||
    fail "no dpkg-statoverride for /etc/ess/node.conf: an upgrade would lose its group"

  # The installed units: systemd's own checker (no PID 1 needed), and their ExecStart.
  units=(/lib/systemd/system/ess-node.service /lib/systemd/system/ess-hub.service)
  verify=$(in_root systemd-analyze verify "${units[@]}" 2>&1) ||
    fail "systemd-analyze verify failed: $verify"
  [[ -z $verify ]] || fail "systemd-analyze verify complains: $verify"
  for unit in "${units[@]}"; do
    grep -qx 'Type=notify' "$m$unit" || fail "$unit is not Type=notify"
    grep -qx 'User=ess' "$m$unit" || fail "$unit does not run as ess"
    exe=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$m$unit")
    help=$(in_root "$exe" --help 2>&1) || fail "$exe --help (ExecStart of $unit) failed: $help"
    grep -q -- '--config' <<<"$help" || fail "$exe --help does not list --config"
  done
  exposure=$(in_root systemd-analyze security --offline=yes "${units[@]}" 2>/dev/null |
    grep -o 'Overall exposure level for [^ ]*: [0-9.]*' | tr '\n' ' ') || true
  echo "package_test: ${exposure:-systemd-analyze security --offline unavailable}"

  # Keys with the installed essctl, certificates where the example configs name them, with
  # the modes docs/operations.md gives: keys 0600 ess; TLS keys 0640 root:ess; certs 0644.
  in_root /usr/bin/essctl keygen --name ess-federation/hub --out /etc/ess/hub.key >/dev/null
  in_root /usr/bin/essctl keygen --name ess-federation/region/93 --out /etc/ess/node-93.key >/dev/null
  in_root chown ess:ess /etc/ess/hub.key /etc/ess/node-93.key
  in_root chmod 0600 /etc/ess/hub.key /etc/ess/node-93.key
  "$root/deploy/make-test-certs.sh" "$m/etc/ess/tls" 93 >/dev/null
  rm "$m/etc/ess/tls/ca.key"
  in_root chown -R root:ess /etc/ess/tls
  in_root chmod 0750 /etc/ess/tls
  chmod 0640 "$m"/etc/ess/tls/*.key
  chmod 0644 "$m"/etc/ess/tls/*.pem

  # The services, as ess, from their installed configuration; what differs is on the
  # command line: the throwaway database, free ports, the ready file.
  ess_ids=$(in_root id -u ess):$(in_root id -g ess)  # numeric: looked up in the root, not here
  # The services run as the units say, as far as it goes without systemd: the root read-only
  # (ProtectSystem=strict, no ReadWritePaths; /tmp and /run stay writable tmpfs, as PrivateTmp
  # gives), no new privileges, no capability (NoNewPrivileges, CapabilityBoundingSet=).
  read_only=$work/read-only
  mkdir "$read_only"
  mount --rbind "$m" "$read_only"
  mount -o remount,bind,ro "$read_only"
  if chroot "$read_only" touch /var/lib/ess-write-test 2>/dev/null; then
    fail "the services' root is not read-only"
  fi
  mkdir -p "$m/run/ess-test"
  in_root chown ess:ess /run/ess-test
  pids=()
  stop_services() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  }
  trap stop_services EXIT
  # Waits for one datagram on a unix socket the service may send to, as systemd listens.
  listen_notify() {
    in_root /usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666); s.settimeout(90)
open(sys.argv[1] + ".bound", "w").close()
print(s.recv(4096).decode())' "$1" >"$m$1.received" 2>&1 &
    pids+=($!)
    wait_for 10 test -e "$m$1.bound" || fail "the notification listener did not start"
  }
  # Starts `exe args...` in the root as ess, NOTIFY_SOCKET set; waits for READY=1 and the
  # ready file; prints nothing, leaves its log in /run/ess-test/<name>.log.
  start_service() {
    local name=$1
    shift
    listen_notify "/run/ess-test/$name.notify"
    chroot "$read_only" setpriv --reuid="${ess_ids%:*}" --regid="${ess_ids#*:}" --clear-groups \
      --no-new-privs --bounding-set=-all --inh-caps=-all \
      env NOTIFY_SOCKET="/run/ess-test/$name.notify" "$@" --ready-file "/run/ess-test/$name.ready" \
      >"$m/run/ess-test/$name.log" 2>&1 &
    pids+=($!)
    if ! wait_for 60 grep -qs 'READY=1' "$m/run/ess-test/$name.notify.received"; then
      cat "$m/run/ess-test/$name.log" >&2
      fail "$name sent no READY=1 on NOTIFY_SOCKET within 60 s"
    fi
    [[ -s $m/run/ess-test/$name.ready ]] || fail "$name notified READY=1 before its ready file"
  }
  port_of() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$m/run/ess-test/$1.ready"; }

  psql -q "$pg_url" -c 'CREATE DATABASE ess_hub' -c 'CREATE DATABASE ess_node_93'
  db_base=${pg_url%/*}
  start_service hub /usr/bin/ess-hub --config /etc/ess/hub.conf --database "$db_base/ess_hub" \
    --http 127.0.0.1:0 --grpc 127.0.0.1:0
  hub_http=$(port_of hub http)
  hub_grpc=$(port_of hub grpc)
  grep -q 'TLS mutuel' "$m/run/ess-test/hub.log" ||
    fail "the hub is not on mutual TLS with its installed config: $(cat "$m/run/ess-test/hub.log")"
  start_service node /usr/bin/ess-node --config /etc/ess/node.conf \
    --database "$db_base/ess_node_93" --http 127.0.0.1:0 --hub "127.0.0.1:$hub_grpc"
  node_http=$(port_of node http)
  for log in hub node; do
    if grep -E 'introuvable|critical' "$m/run/ess-test/$log.log"; then
      fail "the $log's log complains (packaged files missing?)"
    fi
  done
  grep -q 'référentiel .* chargé' "$m/run/ess-test/node.log" ||
    fail "the node did not load the packaged referential"
  # The node reaches the hub over mutual TLS with the installed configs' certificate paths
  # (its /readyz reports the hub's channel; the region is not enrolled: no stream needed).
  hub_reached() { [[ $(curl -sS "http://127.0.0.1:$node_http/readyz") == *'"reachable":true'* ]]; }
  if ! wait_for 30 hub_reached; then
    fail "the node does not reach the hub over mutual TLS: $(curl -sS "http://127.0.0.1:$node_http/readyz")"
  fi
  for service in "hub $hub_http site/hub" "node $node_http site/node"; do
    read -r name port _ <<<"$service"
    base=http://127.0.0.1:$port
    [[ $(curl -fsS "$base/healthz") == *'"ok"'* ]] || fail "$name: /healthz does not answer ok"
    [[ $(curl -fsS "$base/") == *'<html'* ]] || fail "$name: / does not serve the site's page"
    curl -fsS -o /dev/null "$base/vendor/leaflet/leaflet.js" || fail "$name: no packaged Leaflet"
    curl -fsS -o /dev/null "$base/generated/regions.geojson" || fail "$name: no region outlines"
    echo "package_test: installed $name answers /healthz, its pages and Leaflet"
  done
  stop_services
  trap - EXIT

  # An upgrade (the same package again) keeps the admin's configuration and its modes; a
  # purge removes the configuration and its override, keeps the user and the admin's keys.
  echo "# changed by the admin" >>"$m/etc/ess/node.conf"
  in_root dpkg -i "${debs[@]#"$m"}" >"$work/reinstall.log" 2>&1 ||
    fail "installing the packages again failed: $(cat "$work/reinstall.log")"
  [[ $(tail -n 1 "$m/etc/ess/node.conf") == "# changed by the admin" ]] ||
    fail "installing again replaced the admin's /etc/ess/node.conf"
  [[ $(in_root stat -c '%U:%G %a' /etc/ess/node.conf) == "root:ess 640" ]] ||
    fail "installing again changed /etc/ess/node.conf's owner or mode"
  in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y ess-node ess-hub essctl \
    >"$work/purge.log" 2>&1 || fail "apt-get purge failed: $(cat "$work/purge.log")"
  [[ ! -e $m/etc/ess/node.conf && ! -e $m/usr/bin/ess-node ]] ||
    fail "purging ess-node left /etc/ess/node.conf or /usr/bin/ess-node"
  if in_root dpkg-statoverride --list /etc/ess/node.conf; then
    fail "purging ess-node left the override of /etc/ess/node.conf"
  fi
  [[ -e $m/etc/ess/node-93.key ]] || fail "purging ess-node removed the admin's key"
  in_root getent passwd ess >/dev/null || fail "purging removed the user ess"
  echo "package_test: installed again (configuration kept) and purged"
  exit 0
fi

# --- The packages, made and looked at from outside ---
build=$(cd "${1:?usage: package_test.sh BUILD_DIR}" && pwd)
if [[ $(id -u) -ne 0 ]] || ! unshare --mount true 2>/dev/null; then
  echo "package_test: needs root allowed to mount (unshare --mount): skipped"
  exit 77
fi
for exe in node/ess-node hub/ess-hub essctl/essctl; do
  [[ -x $build/$exe ]] || fail "$build/$exe is not built (cpack packages the built executables)"
done
work=$(mktemp -d -t ess-package-test.XXXXXX)
chmod 0711 "$work"  # the postgres user reaches its cluster in $work/pg
cleanup() {
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/packages" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack failed"
fi
echo "package_test: cpack made $(cd "$work/packages" && echo *.deb) in $((SECONDS - started)) s"
package() {
  local files=("$work/packages/$1"_*.deb)
  [[ -f ${files[0]} ]] || fail "cpack made no $1 package"
  echo "${files[0]}"
}
# Every path of `package`, one per line, with its mode: "-rw-r----- /etc/ess/node.conf".
contents() { dpkg-deb --contents "$(package "$1")" | awk '{ sub(/^\./, "", $6); print $1, $6 }'; }
expect_files() {
  local name=$1 listing
  shift
  listing=$(contents "$name")
  for f in "$@"; do
    grep -q " $f\$" <<<"$listing" || fail "$name lacks $f"
  done
}
for site in node hub; do
  name=ess-$site
  expect_files "$name" "/usr/bin/$name" "/etc/ess/$site.conf" "/lib/systemd/system/$name.service" \
    "/usr/lib/sysusers.d/$name.conf" "/usr/share/$name/referential.json" \
    "/usr/share/$name/web/site/$site/index.html" "/usr/share/$name/web/common/map.js" \
    "/usr/share/$name/web/generated/regions.geojson" \
    "/usr/share/$name/web/node_modules/leaflet/dist/leaflet.js" \
    "/usr/share/doc/$name/operations.md"
  listing=$(contents "$name")  # (grep -q in a pipe would end it early: pipefail)
  grep -q -- "^-rw-r----- /etc/ess/$site.conf$" <<<"$listing" ||
    fail "/etc/ess/$site.conf is not mode 0640 in $name"
  other=$([[ $site == node ]] && echo hub || echo node)
  if grep -E "/site/$other/|/web/tests/|\.key$" <<<"$listing"; then
    fail "$name holds files it must not (above)"
  fi
  [[ $(dpkg-deb --info "$(package "$name")" conffiles) == "/etc/ess/$site.conf" ]] ||
    fail "$name: /etc/ess/$site.conf is not its one conffile"
  postinst=$(dpkg-deb --info "$(package "$name")" postinst)
  grep -q "systemd-sysusers $name.conf" <<<"$postinst" ||
    fail "$name's postinst does not create the user ess"
  depends=$(dpkg-deb --field "$(package "$name")" Depends)
  for dependency in libpqxx libsodium libgrpc cracklib-runtime; do
    grep -q "$dependency" <<<"$depends" || fail "$name does not depend on $dependency: $depends"
  done
done
expect_files essctl /usr/bin/essctl
grep -q libpqxx <<<"$(dpkg-deb --field "$(package essctl)" Depends)" ||
  fail "essctl does not depend on libpqxx"
if grep -E '/etc/|/lib/systemd/' <<<"$(contents essctl)"; then fail "essctl holds service files (above)"; fi
echo "package_test: the packages hold their files, conffiles, units and dependencies"
# Debian's own checker, errors only (its warnings are in the decision record 0016), beside the
# installation below.
command -v lintian >/dev/null || fail "lintian is missing (deploy/install-deps.sh)"
lintian --fail-on error "$work"/packages/*.deb >"$work/lintian.log" 2>&1 &
lintian_pid=$!

pg_url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
unshare --mount --propagation private "$0" --inside "$work" "$pg_url"
if ! wait "$lintian_pid"; then
  grep -v '^W: ' "$work/lintian.log" >&2
  fail "lintian finds errors in the packages (above)"
fi
echo "package_test: lintian: no error ($(grep -c '^W: ' "$work/lintian.log") warnings)"
echo "package_test: OK in $SECONDS s"
