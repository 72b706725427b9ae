#!/usr/bin/env bash
# The main job: a local federation with realistic data, in one command. Starts its own
# PostgreSQL, a national hub and three region nodes (Provence-Alpes-Côte d'Azur 93,
# Occitanie 76, Pays de la Loire 52), generates the regions' keys and enrols them at the hub,
# points every node at the hub, seeds each region through its HTTP API as people would
# (charter, ethics committee, initiatives submitted with adherence, committee votes decided by
# the region's rule, endorsements, a report and a suspension, a withdrawal, an erasure: see
# deploy/demo/seed.mjs), waits for the hub to hold everything, then prints the addresses and
# the demo logins. Runs until Ctrl-C, which stops every process and removes its directory.
#
#   deploy/demo.sh            a new demo; in an ESS_DEMO_DIR used before, a clean start
#   deploy/demo.sh --keep     the same, but Ctrl-C keeps ESS_DEMO_DIR (cluster, keys, data)
#   deploy/demo.sh --resume   restarts the demo kept in ESS_DEMO_DIR (needs ESS_DEMO_DIR),
#                             without seeding again; Ctrl-C keeps it again (to drop it: run
#                             again without --resume, or delete the directory)
#   deploy/demo.sh --help
#
# Environment:
#   ESS_DEMO_DIR           working directory (default: a new temporary directory); at most
#                          80 characters (PostgreSQL's socket lives in it)
#   ESS_DEMO_REGIONS       INSEE region codes of the nodes (default "93 76 52")
#   ESS_DEMO_COUNT         initiatives generated per region (default 50)
#   ESS_DEMO_SEED          seed of the generated data (default 42): same seed, same data
#   ESS_DEMO_PASSWORD      password of every demo account (default demo-ess-2026)
#   ESS_DEMO_SYNC_TIMEOUT  seconds to wait for the hub to catch up (default 120)
#   ESS_DEMO_SKIP_BUILD=1  use the existing build (the test suite does)
#   ESS_BUILD_DIR          build directory (default build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ESS_BUILD_DIR:-$root/build}
export ESS_BUILD_DIR=$build

die() { echo "demo: $*" >&2; exit 1; }
help_text() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }
usage() { help_text >&2; exit 2; }

keep=0
resume=0
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    --resume) resume=1; keep=1 ;;
    -h|--help) help_text; exit 0 ;;
    *) echo "demo: option inconnue : $arg" >&2; usage ;;
  esac
done

read -ra regions <<<"${ESS_DEMO_REGIONS:-93 76 52}"
count=${ESS_DEMO_COUNT:-50}
seed=${ESS_DEMO_SEED:-42}
password=${ESS_DEMO_PASSWORD:-demo-ess-2026}
sync_timeout=${ESS_DEMO_SYNC_TIMEOUT:-120}
((${#regions[@]} > 0)) || die "ESS_DEMO_REGIONS est vide"
kRegionCodes=" 01 02 03 04 06 11 24 27 28 32 44 52 53 75 76 84 93 94 "  # France's 18 regions
for region in "${regions[@]}"; do
  [[ "$kRegionCodes" == *" $region "* ]] ||
    die "ESS_DEMO_REGIONS : « $region » n'est pas le code INSEE d'une des 18 régions (ex. 93 76 52)"
done
[[ $(printf '%s\n' "${regions[@]}" | sort | uniq -d) == "" ]] || die "ESS_DEMO_REGIONS : une région apparaît deux fois"
if ! [[ "$count" =~ ^[0-9]{1,6}$ ]] || ((count > 100000)); then
  die "ESS_DEMO_COUNT : un entier de 0 à 100000, pas « $count »"
fi
[[ "$seed" =~ ^[0-9]{1,9}$ ]] || die "ESS_DEMO_SEED : un entier positif (9 chiffres au plus), pas « $seed »"
if ! [[ "$sync_timeout" =~ ^[0-9]{1,5}$ ]] || ((sync_timeout == 0)); then
  die "ESS_DEMO_SYNC_TIMEOUT : un nombre de secondes, pas « $sync_timeout »"
fi
((${#password} >= 12)) || die "ESS_DEMO_PASSWORD : 12 caractères au moins"
[[ "$password" != *$'\n'* ]] || die "ESS_DEMO_PASSWORD : une seule ligne"
if ((resume)); then
  [[ -n "${ESS_DEMO_DIR:-}" ]] || die "--resume reprend la démo gardée dans ESS_DEMO_DIR : le définir (ESS_DEMO_DIR=/chemin deploy/demo.sh --resume)"
fi

if [[ "${ESS_DEMO_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/deploy/install-deps.sh"
  "$root/deploy/build.sh"
fi
for exe in "$build/hub/ess-hub" "$build/node/ess-node" "$build/essctl/essctl"; do
  [[ -x "$exe" ]] || die "$exe introuvable : construire d'abord (deploy/build.sh) ou retirer ESS_DEMO_SKIP_BUILD"
done
[[ -s "$build/referential.json" ]] || die "$build/referential.json introuvable : lancer deploy/build.sh"
command -v node >/dev/null || die "Node.js introuvable (deploy/install-deps.sh l'installe)"
started=$SECONDS

# --- The working directory -------------------------------------------------------------
# It holds the cluster (pg/), keys, logs, demo.env and the markers: .ess-demo (a directory
# this script made, so it may empty it) and .seeded (seeding and the hub's catch-up ended).
marker=.ess-demo
work=${ESS_DEMO_DIR:-}
if [[ -n "$work" ]]; then
  [[ "$work" == /* ]] || work="$PWD/$work"
  work=${work%/}
  ((${#work} <= 80)) || die "ESS_DEMO_DIR trop long (80 caractères au plus) : $work"
fi

# Stops what a previous demo in $work left running (after a SIGKILL, say): only processes
# whose command line names $work, then its PostgreSQL.
stop_leftovers() {
  local pid
  # A demo still running there is not a leftover: refuse rather than pull the rug.
  pid=$(cat "$work/demo.pid" 2>/dev/null || true)
  if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "demo.sh"; then
    die "une démo tourne déjà dans $work (processus $pid) : l'arrêter d'abord (Ctrl-C)"
  fi
  if [[ -f "$work/pids" ]]; then
    while read -r pid; do
      [[ "$pid" =~ ^[0-9]+$ ]] || continue
      if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$work/"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && die "le processus $pid d'une démo précédente ne s'arrête pas"
      fi
    done <"$work/pids"
  fi
  if [[ -f "$work/pg/data/postmaster.pid" ]]; then pg_halt; fi
}

# PostgreSQL binaries, as deploy/pg-throwaway.sh finds them (to restart a kept cluster).
pg_bindir() {
  local dir
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  dir=$(pg_config --bindir 2>/dev/null || true)
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  dirname "$(command -v pg_ctl || die "pg_ctl introuvable (PostgreSQL n'est pas installé)")"
}
# Runs a command as the cluster's owner (the postgres user when we are root), from the
# cluster's directory (PostgreSQL complains if its user cannot read the current one).
as_pg_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$work/pg" && runuser -u "$(stat -c %U "$work/pg/data")" -- "$@")
  else
    (cd "$work/pg" && "$@")
  fi
}
pg_halt() {
  as_pg_owner "$(pg_bindir)/pg_ctl" stop -D "$work/pg/data" -m fast -w -t 60 >/dev/null 2>&1 || true
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A random TCP port nobody listens on now (someone may take it before we bind: callers retry).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$port" || { echo "$port"; return; }
  done
  die "aucun port TCP libre trouvé sur 127.0.0.1"
}
# Restarts the kept cluster on a free port and prints its URI.
pg_restart() {
  local bindir port
  bindir=$(pg_bindir)
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_pg_owner "$bindir/pg_ctl" start -D "$work/pg/data" -l "$work/pg/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$work/pg'" >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    tail -n 5 "$work/pg/log" 2>/dev/null | grep -q "could not bind\|already in use" || break
  done
  tail -n 20 "$work/pg/log" >&2 2>/dev/null || true
  die "PostgreSQL ne redémarre pas dans $work/pg (journal : $work/pg/log)"
}

if ((resume)); then
  [[ -f "$work/$marker" ]] || die "rien à reprendre dans $work (pas de démo gardée ; lancer deploy/demo.sh --keep d'abord)"
  [[ -f "$work/.seeded" && -f "$work/demo.env" ]] ||
    die "la démo gardée dans $work n'a pas fini son peuplement : relancer sans --resume pour repartir de zéro"
  stop_leftovers
  demo_regions=""
  # shellcheck source=/dev/null
  source "$work/demo.env"   # regions, node ports, count and seed of the kept demo
  read -ra regions <<<"$demo_regions"
  [[ -z "${ESS_DEMO_REGIONS:-}" || "${ESS_DEMO_REGIONS}" == "$demo_regions" ]] ||
    echo "demo: ESS_DEMO_REGIONS ignoré : la démo gardée a les régions $demo_regions" >&2
elif [[ -n "$work" && -e "$work" ]]; then
  [[ -d "$work" ]] || die "ESS_DEMO_DIR=$work existe et n'est pas un dossier"
  if [[ -f "$work/$marker" ]]; then
    stop_leftovers
    echo "demo: nouvelle démo : l'ancienne de $work est arrêtée et effacée"
    "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
    find "$work" -mindepth 1 -delete
  elif [[ -n "$(ls -A "$work")" ]]; then
    die "ESS_DEMO_DIR=$work n'est pas vide et n'est pas une démo : choisir un autre dossier"
  fi
else
  work=${work:-$(mktemp -d -t ess-demo.XXXXXX)}
fi
mkdir -p "$work"
chmod 755 "$work"  # the PostgreSQL server runs as the postgres user and needs to reach $work/pg
touch "$work/$marker"
echo $$ >"$work/demo.pid"

pids=()        # services: hub and nodes
helper_pid=""  # the seeder while it runs
stopping=0
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local status=$?
  stopping=1
  trap '' INT TERM   # a second Ctrl-C must not cut the clean-up short
  echo
  echo "demo: arrêt..."
  for pid in $helper_pid "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $helper_pid "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # A failure (not Ctrl-C) in a directory about to go: show the end of the services' logs.
  if ((status != 0 && status != 130 && status != 143 && !keep)); then
    for file in "$work"/hub.log "$work"/node-*.log; do
      [[ -s "$file" ]] || continue
      echo "--- fin de ${file##*/} :" >&2
      tail -n 15 "$file" >&2
    done
  fi
  if ((keep)); then
    [[ -f "$work/pg/data/postmaster.pid" ]] && pg_halt
    rm -f "$work/pids" "$work/demo.pid"
    if [[ -f "$work/.seeded" ]]; then
      echo "demo: tout est arrêté ; la démo est gardée dans $work (reprendre : ESS_DEMO_DIR=$work deploy/demo.sh --resume)"
    else
      echo "demo: tout est arrêté ; $work est gardé mais la démo n'a pas fini de démarrer (relancer sans --resume)"
    fi
  else
    "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
    echo "demo: tout est arrêté, $work supprimé."
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a service in the background and remembers its pid (for Ctrl-C and leftovers).
spawn() {
  local log=$1
  shift
  "$@" >>"$log" 2>&1 &
  pids+=($!)
  echo $! >>"$work/pids"
}
# Waits (bounded) for a service's ready file; returns 1 if the process died first.
wait_ready() {
  local file=$1 pid=$2 name=$3
  for _ in $(seq 1 300); do
    [[ -s "$file" ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  die "$name pas prêt après 30 s, voir $work/$name.log"
}
port_of() { sed -E "s/.*\"$2\":([0-9]+).*/\1/" "$1"; }
essctl() { "$build/essctl/essctl" "$@"; }

# --- PostgreSQL -------------------------------------------------------------------------
if ((resume)); then
  echo "demo: reprise de la démo gardée dans $work"
  pg_url=$(pg_restart)
else
  echo "demo: PostgreSQL jetable dans $work/pg"
  pg_url=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
fi
db_url() { echo "${pg_url%/postgres}/$1"; }
create_db() { psql -q "$pg_url" -c "CREATE DATABASE $1" >/dev/null; }

# --- The national hub -------------------------------------------------------------------
if ((!resume)); then
  create_db hub
  essctl keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null
fi
rm -f "$work/hub.ready"
spawn "$work/hub.log" "$build/hub/ess-hub" --database "$(db_url hub)" --key-file "$work/hub.key" \
  --referential "$build/referential.json" --database-pool 4 --replication-workers 2 \
  --http 127.0.0.1:0 --grpc 127.0.0.1:0 --ready-file "$work/hub.ready"
wait_ready "$work/hub.ready" "${pids[-1]}" hub || die "le hub s'est arrêté, voir $work/hub.log"
hub_http=$(port_of "$work/hub.ready" http)
hub_grpc=$(port_of "$work/hub.ready" grpc)

# --- Region keys, enrolled at the hub ---------------------------------------------------
if ((!resume)); then
  echo "demo: clés des régions, inscrites au hub (empreintes à comparer hors ligne en vrai) :"
  for region in "${regions[@]}"; do
    key_out=$(essctl keygen --name "ess-federation/region/$region" --out "$work/node-$region.key")
    verifier=$(sed -n 's/^clé de vérification *: *//p' <<<"$key_out")
    [[ -n "$verifier" ]] || die "essctl keygen n'a pas affiché de clé de vérification : $key_out"
    essctl region enrol --database "$(db_url hub)" --region "$region" --verifier-key "$verifier" |
      sed 's/^/  /' | tee -a "$work/enrolment.txt"
  done
fi

# --- The region nodes -------------------------------------------------------------------
# Demo settings: the decision rule differs a little from one region to the next (each region
# sets its own); public rate limits and the login limit are raised because the seeding sends
# everything from 127.0.0.1 (a real node keeps the defaults); Argon2id uses libsodium's
# "interactive" cost so the demo's many logins stay quick on a small machine; the node looks
# for new entries to send every 200 ms and retries within 2 s.
rule_of() {
  case "$1" in
    93) echo "--committee.quorum 3 --committee.majority 0.5 --committee.min-colleges 2" ;;
    76) echo "--committee.quorum 3 --committee.majority 0.6 --committee.min-colleges 3" ;;
    52) echo "--committee.quorum 4 --committee.majority 0.5 --committee.min-colleges 2" ;;
    *) echo "" ;;
  esac
}
declare -A node_port
if ((resume)); then
  for region in "${regions[@]}"; do
    var="demo_port_$region"
    node_port[$region]=${!var:-}
  done
fi
node_args() {  # REGION -> the options shared by --create-admin and the service
  local region=$1
  echo --region "$region" --database "$(db_url "region_$region")" --key-file "$work/node-$region.key" \
    --referential "$build/referential.json" \
    --security.password-ops 2 --security.password-mem-kib 65536
}
start_node() {
  local region=$1 port=${node_port[$1]:-}
  for _ in 1 2 3 4 5; do
    [[ -n "$port" ]] && ! port_in_use "$port" || port=$(free_port)
    rm -f "$work/node-$region.ready"
    # shellcheck disable=SC2046  # node_args and rule_of print options, word-split on purpose
    spawn "$work/node-$region.log" "$build/node/ess-node" $(node_args "$region") $(rule_of "$region") \
      --http "127.0.0.1:$port" --public-url "http://127.0.0.1:$port" --ready-file "$work/node-$region.ready" \
      --database-pool 4 --hub "127.0.0.1:$hub_grpc" --hub-poll-ms 200 --hub-max-backoff-ms 2000 \
      --participation.rate-per-minute 100000 --participation.rate-burst 10000 \
      --security.login-rate-per-minute 1000 --http-trusted-proxies 127.0.0.1
    if wait_ready "$work/node-$region.ready" "${pids[-1]}" "node-$region"; then
      node_port[$region]=$(port_of "$work/node-$region.ready" http)
      return 0
    fi
    wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
    tail -n 3 "$work/node-$region.log" | grep -q "already in use" ||
      die "le nœud $region s'est arrêté, voir $work/node-$region.log"
    port=""  # taken since we chose it: another one
  done
  die "le nœud $region ne trouve pas de port libre"
}
((resume)) || (umask 077 && printf '%s\n' "$password" >"$work/demo-password")
for region in "${regions[@]}"; do
  if ((!resume)); then
    create_db "region_$region"
    # shellcheck disable=SC2046
    "$build/node/ess-node" $(node_args "$region") --create-admin "$(node "$root/deploy/demo/seed.mjs" admin-email "$region")" \
      --admin-name "Administration régionale" --admin-password-file "$work/demo-password" \
      >>"$work/node-$region.log" 2>&1 || die "création du compte administrateur de la région $region impossible, voir $work/node-$region.log"
  fi
  start_node "$region"
done
{
  echo "demo_regions='${regions[*]}'"
  echo "demo_count=$count"
  echo "demo_seed=$seed"
  for region in "${regions[@]}"; do echo "demo_port_$region=${node_port[$region]}"; done
} >"$work/demo.env"

node_flags=()
for region in "${regions[@]}"; do node_flags+=(--node "$region=http://127.0.0.1:${node_port[$region]}"); done
seed_flags=()  # the members follow their invitations' links, read from the nodes' databases
for region in "${regions[@]}"; do seed_flags+=(--database "$region=$(db_url "region_$region")"); done
# The seeder runs in the background so that Ctrl-C is handled at once.
run_helper() {
  local status=0
  node "$root/deploy/demo/seed.mjs" "$@" &
  helper_pid=$!
  wait "$helper_pid" || status=$?
  helper_pid=""
  # Killed by a signal: Ctrl-C reached it with the rest of the process group. Not a failure.
  if ((status > 128)); then exit "$status"; fi
  return "$status"
}

# --- Seeding, through the nodes' HTTP API -----------------------------------------------
if ((!resume)); then
  echo "demo: peuplement des régions ${regions[*]} ($count initiatives chacune, graine $seed)"
  run_helper seed "${node_flags[@]}" "${seed_flags[@]}" --count "$count" --seed "$seed" \
    --referential "$build/referential.json" --password-file "$work/demo-password" --out "$work" ||
    die "le peuplement a échoué (message ci-dessus)"
fi

# --- The hub catches up by itself: watch its replication status --------------------------------
echo "demo: le hub reçoit les journaux signés des régions"
run_helper wait-hub "${node_flags[@]}" --hub "http://127.0.0.1:$hub_http" --timeout "$sync_timeout" ||
  die "le hub n'a pas rattrapé les régions (message ci-dessus)"
touch "$work/.seeded"

hub=http://127.0.0.1:$hub_http
echo
echo "Fédération locale prête en $((SECONDS - started)) s :"
echo "  hub national : $hub/   (gRPC 127.0.0.1:$hub_grpc)"
for region in "${regions[@]}"; do
  echo "  région $region : http://127.0.0.1:${node_port[$region]}/"
done
echo "Carte et indicateurs nationaux :"
echo "  recherche      $hub/api/initiatives?q=epicerie"
echo "  carte          $hub/api/map/clusters?zoom=5"
echo "  indicateurs    $hub/api/indicators"
echo "  synchronisation $hub/api/regions"
if [[ -s "$work/logins.txt" ]]; then
  echo "Comptes de démonstration (mot de passe de tous : $(cat "$work/demo-password")) :"
  cat "$work/logins.txt"
fi
echo "Clés des régions inscrites au hub : $work/enrolment.txt"
echo "Liens privés des porteurs (id et jeton, en-tête X-Edit-Token) : $work/owners-*.tsv"
echo "Journaux : $work/*.log"
echo "Ctrl-C pour tout arrêter."
# Runs until Ctrl-C, or until a service stops on its own.
wait -n "${pids[@]}" || true
[[ $stopping -eq 1 ]] || echo "demo: un service s'est arrêté, voir $work/*.log" >&2
exit 1
