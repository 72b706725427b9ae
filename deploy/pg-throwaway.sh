#!/usr/bin/env bash
# pg-throwaway.sh - a throwaway PostgreSQL cluster for tests and the demo.
#
# Usage:
#   pg-throwaway.sh start DIR   Create a cluster in DIR/data (DIR must be absent or empty),
#                               start it on a free TCP port of 127.0.0.1 and print exactly
#                               one line on stdout, the libpq URI to reach it:
#                                 postgresql://postgres@127.0.0.1:PORT/postgres
#   pg-throwaway.sh stop DIR    Stop the server (fast shutdown; "not running" is fine) and
#                               remove DIR. Idempotent: a missing DIR is not an error.
#
# The cluster trusts every local connection (no passwords): it is meant for tests only and
# listens on 127.0.0.1 only, with its unix socket in DIR. The server log is DIR/log.
# Encoding is UTF-8 and the locale C.UTF-8, so French full-text search and the `unaccent`
# extension (postgresql-contrib) work.
#
# PostgreSQL refuses to run as root, so when this script runs as root it chowns DIR to the
# `postgres` system user and runs initdb/pg_ctl as that user (runuser); otherwise it runs
# them as the calling user. The binaries are found in $PG_BINDIR if set, else through
# `pg_config --bindir`, else in the newest /usr/lib/postgresql/*/bin, else on PATH.
#
# Environment: PG_THROWAWAY_START_TIMEOUT (seconds, default 60) bounds each start attempt.
#
# Everything except the URI goes to stderr, so `url=$(pg-throwaway.sh start DIR)` works.

set -euo pipefail

readonly kProg="${0##*/}"
readonly kMarker=".pg-throwaway"  # marks DIR as ours, so `stop` never deletes anything else
readonly kPortAttempts=10
readonly kStartTimeout="${PG_THROWAWAY_START_TIMEOUT:-60}"

# The caller's libpq settings must not redirect our own client calls (pg_isready) or leak
# into the server we start.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS PGDATA PGPASSFILE

Die() {
  echo "${kProg}: error: $*" >&2
  exit 1
}

Usage() {
  echo "usage: ${kProg} start DIR | stop DIR" >&2
  exit 2
}

FindBindir() {
  local dir
  if [[ -n "${PG_BINDIR:-}" ]]; then
    [[ -x "${PG_BINDIR}/initdb" ]] || Die "PG_BINDIR=${PG_BINDIR} has no initdb"
    echo "${PG_BINDIR}"
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    # On Debian pg_config may come from libpq-dev alone, without a server next to it.
    if [[ -n "${dir}" && -x "${dir}/initdb" ]]; then
      echo "${dir}"
      return
    fi
  fi
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [[ -n "${dir}" && -x "${dir}/initdb" ]]; then
    echo "${dir}"
    return
  fi
  dir="$(command -v initdb 2>/dev/null || true)"
  if [[ -n "${dir}" ]]; then
    dirname "${dir}"
    return
  fi
  Die "PostgreSQL server binaries not found (no initdb via \$PG_BINDIR, pg_config --bindir," \
      "/usr/lib/postgresql/*/bin or PATH); install postgresql (Debian: postgresql-15)"
}

# Runs a command as the user owning the cluster: `postgres` when we are root.
AsOwner() {
  if [[ "${EUID}" -eq 0 ]]; then
    runuser -u "${owner}" -- "$@"
  else
    "$@"
  fi
}

# True if something accepts TCP connections on 127.0.0.1:$1.
PortInUse() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random port in 20000-59999 that nobody listens on right now. Another process may still
# take it before the server binds it; StartServer retries in that case.
PickPort() {
  local port i
  for ((i = 0; i < 50; i++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! PortInUse "${port}"; then
      echo "${port}"
      return
    fi
  done
  Die "no free TCP port found on 127.0.0.1"
}

# Stops the server of cluster DIR if it runs. Returns non-zero only if it is still running.
StopServer() {
  local dir="$1" data="$1/data"
  [[ -f "${data}/postmaster.pid" ]] || return 0
  local rc=0
  AsOwner "${bindir}/pg_ctl" status -D "${data}" >/dev/null 2>&1 || rc=$?
  # pg_ctl status: 0 running, 3 not running, 4 no usable data directory.
  [[ "${rc}" -eq 0 ]] || return 0
  if AsOwner "${bindir}/pg_ctl" stop -D "${data}" -m fast -w -t 60 >/dev/null 2>&1; then
    return 0
  fi
  rc=0
  AsOwner "${bindir}/pg_ctl" status -D "${data}" >/dev/null 2>&1 || rc=$?
  [[ "${rc}" -eq 0 ]] || return 0
  echo "${kProg}: fast shutdown failed, trying immediate" >&2
  AsOwner "${bindir}/pg_ctl" stop -D "${data}" -m immediate -w -t 30 >/dev/null 2>&1
}

CmdStop() {
  local dir="$1"
  [[ -e "${dir}" ]] || return 0
  [[ -d "${dir}" ]] || Die "${dir} is not a directory"
  # Refuse to delete a directory we did not create (a typo must not cost anyone data).
  if [[ ! -e "${dir}/${kMarker}" && -n "$(ls -A "${dir}")" ]]; then
    Die "${dir} is not a pg-throwaway cluster (no ${kMarker}); not touching it"
  fi
  if [[ -d "${dir}/data" ]]; then
    bindir="$(FindBindir)"
    owner="$(stat -c %U "${dir}/data")"
    StopServer "${dir}" || Die "could not stop the server in ${dir}/data; see ${dir}/log"
  fi
  rm -rf -- "${dir}"
}

# Runs on INT/TERM/HUP during `start`: bash runs a trap only once the foreground child has
# returned, so whatever initdb/pg_ctl managed to start is stopped here and nothing is left.
AbortStart() {
  # Ignored from now on: a second Ctrl-C (or the test helper's SIGTERM) must not cut the
  # cleanup short.
  trap '' INT TERM HUP
  # The trap runs inside whatever redirection was active (e.g. initdb's log): restore the
  # caller's stderr so the messages are seen.
  exec 2>&9
  echo "${kProg}: interrupted, removing ${dir}" >&2
  CmdStop "${dir}" || true
  exit "$1"
}

CmdStart() {
  dir="$1"
  bindir="$(FindBindir)"
  local tool
  for tool in initdb pg_ctl pg_isready; do
    [[ -x "${bindir}/${tool}" ]] || Die "${bindir}/${tool} not found or not executable"
  done

  if [[ "${EUID}" -eq 0 ]]; then
    owner="postgres"
    id -u "${owner}" >/dev/null 2>&1 ||
      Die "running as root needs a '${owner}' system user to run the server as"
    command -v runuser >/dev/null 2>&1 || Die "runuser not found (util-linux)"
  else
    owner="$(id -un)"
  fi

  # The server's socket is DIR/.s.PGSQL.PORT and unix socket paths are limited to 107 bytes.
  ((${#dir} <= 90)) || Die "${dir} is too long for a unix socket directory (max 90 bytes)"
  if [[ -e "${dir}" ]]; then
    [[ -d "${dir}" ]] || Die "${dir} exists and is not a directory"
    [[ -z "$(ls -A "${dir}")" ]] || Die "${dir} is not empty (run '${kProg} stop ${dir}' first)"
  else
    mkdir -p -- "${dir}"
  fi
  touch "${dir}/${kMarker}"
  exec 9>&2  # the caller's stderr, for AbortStart
  trap 'AbortStart 129' HUP
  trap 'AbortStart 130' INT
  trap 'AbortStart 143' TERM

  if [[ "${EUID}" -eq 0 ]]; then
    chown -R "${owner}:" "${dir}"
    runuser -u "${owner}" -- test -w "${dir}" ||
      Die "user ${owner} cannot write to ${dir} (is a parent directory private to root?)"
  fi
  # initdb and postgres complain if started from a directory their user cannot read.
  cd "${dir}"

  local data="${dir}/data" log="${dir}/log"
  if ! AsOwner "${bindir}/initdb" -D "${data}" --auth=trust -U postgres --encoding=UTF8 \
      --locale=C.UTF-8 --no-sync >"${dir}/initdb.log" 2>&1; then
    cat "${dir}/initdb.log" >&2
    Die "initdb failed (log above)"
  fi

  local attempt port offset rc
  for ((attempt = 1; attempt <= kPortAttempts; attempt++)); do
    port="$(PickPort)"
    offset=0
    [[ -f "${log}" ]] && offset="$(stat -c %s "${log}")"
    rc=0
    # -w makes pg_ctl wait until the server accepts connections and notice if it died
    # instead (e.g. the port was taken since PickPort); -t bounds the wait.
    AsOwner "${bindir}/pg_ctl" start -D "${data}" -l "${log}" -w -t "${kStartTimeout}" \
      -o "-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${dir}'" \
      >/dev/null 2>&1 9>&- || rc=$?  # fd 9 (the caller's stderr) must not live on in the server
    if [[ "${rc}" -ne 0 ]]; then
      if tail -c "+$((offset + 1))" "${log}" 2>/dev/null | grep -q "could not bind\|Address already in use"; then
        echo "${kProg}: port ${port} was taken, retrying with another one" >&2
        StopServer "${dir}" || true
        continue
      fi
      tail -n 20 "${log}" >&2 2>/dev/null || true
      StopServer "${dir}" || true
      Die "the server did not start (pg_ctl exit ${rc}; log tail above, full log in ${log})"
    fi

    # Confirm over TCP, as clients will connect; bounded polling, not a fixed sleep.
    local i
    for ((i = 0; i < kStartTimeout * 10; i++)); do
      if "${bindir}/pg_isready" -q -h 127.0.0.1 -p "${port}" -U postgres -d postgres -t 2; then
        trap - INT TERM HUP
        echo "postgresql://postgres@127.0.0.1:${port}/postgres"
        return 0
      fi
      sleep 0.1
    done
    tail -n 20 "${log}" >&2 2>/dev/null || true
    StopServer "${dir}" || true
    Die "the server started but 127.0.0.1:${port} did not accept connections within ${kStartTimeout}s"
  done
  Die "could not find a free port in ${kPortAttempts} attempts"
}

[[ $# -eq 2 ]] || Usage
[[ -n "$2" ]] || Usage
# Absolute, so the server's socket directory and our `cd` do not depend on the caller's cwd.
case "$2" in
  /*) target="$2" ;;
  *) target="${PWD}/$2" ;;
esac
target="${target%/}"
[[ -n "${target}" ]] || Die "refusing to use / as the cluster directory"

bindir=""
owner=""
dir=""
case "$1" in
  start) CmdStart "${target}" ;;
  stop) CmdStop "${target}" ;;
  *) Usage ;;
esac
