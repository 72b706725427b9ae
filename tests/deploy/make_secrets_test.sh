#!/usr/bin/env bash
# deploy/container/make-secrets.sh makes every file docker-compose.yml mounts, with the right
# modes and owners, keeps them when run again; the compose file's "enrol" script, run as it is
# against a real PostgreSQL, enrols each region's key once; and the hub and node 93, started
# from the compose file's configs and options (paths mapped from the mounts to the files they
# mount, addresses to loopback), replicate over mutual TLS with those secrets. Uses the build's
# programs instead of the image's (no container daemon here: ESS_ESSCTL). Last, the configs
# of deploy/k8s's ConfigMaps start the real programs as well.
#   tests/deploy/make_secrets_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: make_secrets_test.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
essctl=$build/essctl/essctl
[[ -x $essctl ]] || { echo "make_secrets_test: $essctl introuvable" >&2; exit 1; }
fail() { echo "make_secrets_test: ÉCHEC : $*" >&2; exit 1; }

tmp=$(mktemp -d)
chmod 755 "$tmp"  # a throwaway PostgreSQL below runs as the postgres user
pg_dir=""
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z $pg_dir ]] || "$root/deploy/pg-throwaway.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# A copy of deploy/ as the admin has it, so that secrets/ and .env are made there.
mkdir -p "$tmp/deploy/container"
cp "$root/deploy/make-test-certs.sh" "$tmp/deploy/"
cp -r "$root/deploy/container/." "$tmp/deploy/container/"
rm -rf "$tmp/deploy/container/secrets" "$tmp/deploy/container/.env"
here=$tmp/deploy/container
secrets=$here/secrets

ESS_ESSCTL=$essctl "$here/make-secrets.sh" 2>"$tmp/make-secrets.log" ||
  { cat "$tmp/make-secrets.log" >&2; fail "make-secrets.sh a échoué"; }

# Every file the compose file mounts is there.
config=$(cd "$here" && docker-compose --ansi never -f docker-compose.yml config) || fail "docker-compose config"
mounted=$(grep -oE -- "- $here/[^:]+:" <<<"$config" | sed -e 's/^- //' -e 's/:$//' | sort -u)
(($(wc -l <<<"$mounted") >= 10)) || fail "trop peu de fichiers montés : $mounted"
while read -r file; do [[ -e $file ]] || fail "monté mais absent : $file"; done <<<"$mounted"

# Owners and modes: the services' uid (10001 for root, else the admin), keys 0600.
source "$here/.env"
if [[ $(id -u) -eq 0 ]]; then [[ $ESS_UID == 10001 && $ESS_GID == 10001 ]] || fail ".env : $ESS_UID:$ESS_GID"; fi
[[ $ESS_UID != 0 ]] || fail "les services tourneraient en root"
for key in keys/hub.key keys/node-93.key keys/node-76.key tls/hub.key tls/region-93.key tls/region-76.key tls/ca.key db.env; do
  [[ $(stat -c %a "$secrets/$key") == 600 ]] || fail "$key : mode $(stat -c %a "$secrets/$key")"
  owner=$ESS_UID:$ESS_GID
  [[ $key == tls/ca.key || $key == db.env ]] && owner=$(id -u):$(id -g)  # never the services'
  [[ $(stat -c %u:%g "$secrets/$key") == "$owner" ]] || fail "$key : propriétaire $(stat -c %u:%g "$secrets/$key")"
done
[[ $(stat -c %a "$secrets") == 700 ]] || fail "secrets/ : mode $(stat -c %a "$secrets")"

# The keys are the regions' and the hub's; the certificates chain to the CA and name the regions.
"$essctl" pubkey --key "$secrets/keys/hub.key" | grep -q 'ess-federation/hub+' || fail "hub.key"
for region in 93 76; do
  "$essctl" pubkey --key "$secrets/keys/node-$region.key" | grep -q "ess-federation/region/$region+" ||
    fail "node-$region.key"
  openssl x509 -in "$secrets/tls/region-$region.pem" -noout -subject | grep -q "CN *= *region-$region" ||
    fail "region-$region.pem ne nomme pas region-$region"
done
openssl verify -CAfile "$secrets/tls/ca.pem" "$secrets/tls/hub.pem" "$secrets/tls/region-93.pem" \
  "$secrets/tls/region-76.pem" >/dev/null || fail "certificats hors de l'AC"

# One drawn password, given to PostgreSQL and to libpq.
postgres_password=$(sed -n 's/^POSTGRES_PASSWORD=//p' "$secrets/db.env")
pg_password=$(sed -n 's/^PGPASSWORD=//p' "$secrets/db.env")
[[ ${#postgres_password} -ge 32 && $postgres_password == "$pg_password" ]] || fail "db.env"

# Run again: nothing changes. A bad region code is refused.
before=$(find "$secrets" -type f -exec sha256sum {} + | sort)
ESS_ESSCTL=$essctl "$here/make-secrets.sh" 2>/dev/null || fail "deuxième passage"
[[ $(find "$secrets" -type f -exec sha256sum {} + | sort) == "$before" ]] || fail "un deuxième passage a changé les secrets"
status=0
ESS_ESSCTL=$essctl "$here/make-secrets.sh" 9x 2>/dev/null || status=$?
((status == 2)) || fail "code de région « 9x » accepté (statut $status)"

# The "enrol" service's script, as docker-compose config gives it, against a real database:
# the regions' keys enrolled once, a second run leaves them.
script=$(node -e '
  const { createRequire } = require("node:module");
  const YAML = createRequire(process.argv[1] + "/web/package.json")("yaml");
  process.stdout.write(YAML.parse(require("node:fs").readFileSync(0, "utf8")).services.enrol.command[0]);
' "$root" <<<"$config")
if [[ -n ${ESS_TEST_PG_URL:-} ]]; then
  server=$ESS_TEST_PG_URL
else
  pg_dir=$tmp/pg
  server=$("$root/deploy/pg-throwaway.sh" start "$pg_dir")
fi
db=ess_make_secrets_$$
psql -q "$server" -c "CREATE DATABASE $db" >/dev/null
hub_db="${server%/*}/$db"
script=${script//\$\$/\$}  # docker-compose's own escape of $, undone when it runs the service
script=${script//postgresql:\/\/ess@postgres:5432\/ess_hub/$hub_db}
script=${script//\/run\/ess\/keys/$secrets/keys}
PATH=$(dirname "$essctl"):$PATH sh -ec "$script" >"$tmp/enrol-1.log" 2>&1 || { cat "$tmp/enrol-1.log" >&2; fail "enrol"; }
PATH=$(dirname "$essctl"):$PATH sh -ec "$script" >"$tmp/enrol-2.log" 2>&1 || { cat "$tmp/enrol-2.log" >&2; fail "enrol, deuxième fois"; }
grep -c 'inscrite ; empreinte' "$tmp/enrol-1.log" | grep -qx 2 || { cat "$tmp/enrol-1.log" >&2; fail "enrol n'a pas inscrit 93 et 76"; }
grep -c 'déjà inscrite' "$tmp/enrol-2.log" | grep -qx 2 || { cat "$tmp/enrol-2.log" >&2; fail "enrol a réinscrit"; }
for region in 93 76; do
  fingerprint=$("$essctl" pubkey --key "$secrets/keys/node-$region.key" | sed -n 's/^empreinte *: *//p')
  "$essctl" region show --database "$hub_db" --region "$region" | grep -qF "$fingerprint" ||
    fail "région $region inscrite avec une autre clé"
done

# The hub and node 93 as the compose file runs them: its config files and command lines, the
# mounted paths (/run/ess/..., the image's /usr/share/ess-<site>/) mapped to the files.
map_paths() {
  sed -e "s|/run/ess/|$secrets/|g" -e "s|/usr/share/ess-[a-z]*/referential.json|$build/referential.json|g" \
    -e "s|/usr/share/ess-[a-z]*/web|$root/web|g"
}
map_paths <"$here/hub.conf" >"$tmp/hub.conf"
map_paths <"$here/node.conf" >"$tmp/node.conf"
node_db=${db}_node_93
psql -q "$server" -c "CREATE DATABASE $node_db" >/dev/null
wait_ready() {  # FILE PID: the ready file, within 30 s, while the process lives
  for _ in $(seq 1 300); do
    [[ -s $1 ]] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
"$build/hub/ess-hub" --config "$tmp/hub.conf" --database "$hub_db" --http 127.0.0.1:0 \
  --grpc 127.0.0.1:0 --ready-file "$tmp/hub.ready" >"$tmp/hub.log" 2>&1 &
pids+=($!)
wait_ready "$tmp/hub.ready" "${pids[-1]}" || { cat "$tmp/hub.log" >&2; fail "le hub ne démarre pas avec hub.conf"; }
grep -q 'TLS mutuel' "$tmp/hub.log" || fail "le hub n'annonce pas le TLS mutuel"
hub_http=$(sed -E 's/.*"http":([0-9]+).*/\1/' "$tmp/hub.ready")
hub_grpc=$(sed -E 's/.*"grpc":([0-9]+).*/\1/' "$tmp/hub.ready")
mapfile -t node_command < <(node -e '
  const { createRequire } = require("node:module");
  const YAML = createRequire(process.argv[1] + "/web/package.json")("yaml");
  const command = YAML.parse(require("node:fs").readFileSync(0, "utf8")).services["node-93"].command;
  process.stdout.write(command.slice(1).join("\n") + "\n");
' "$root" <<<"$config")
mapfile -t node_command < <(printf '%s\n' "${node_command[@]}" | map_paths |
  sed -e "s|^--config=.*|--config=$tmp/node.conf|" -e "s|^--database=.*|--database=${server%/*}/$node_db|")
"$build/node/ess-node" "${node_command[@]}" --http 127.0.0.1:0 --hub "127.0.0.1:$hub_grpc" \
  --ready-file "$tmp/node.ready" >"$tmp/node.log" 2>&1 &
pids+=($!)
wait_ready "$tmp/node.ready" "${pids[-1]}" || { cat "$tmp/node.log" >&2; fail "le nœud ne démarre pas avec node.conf"; }
# The node's authenticated stream over mutual TLS shows at the hub as its last contact.
contact=""
for _ in $(seq 1 300); do
  contact=$(curl -fsS "http://127.0.0.1:$hub_http/api/regions/93" | node -e '
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () =>
      process.stdout.write(JSON.parse(text).last_contact_at ?? ""));')
  [[ -n $contact ]] && break
  sleep 0.1
done
[[ -n $contact ]] || { tail -n 20 "$tmp/hub.log" "$tmp/node.log" >&2; fail "le nœud 93 n'a pas joint le hub en 30 s"; }
for pid in "${pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
pids=()

# The configs of deploy/k8s's ConfigMaps start the real programs too (every option known, every
# value accepted), their mounted paths mapped to the same files and the database (TLS to the
# operator's PostgreSQL) to the throwaway one.
for site in hub node; do
  name=$([[ $site == hub ]] && echo ess-hub || echo ess-node-93)
  node -e '
    const { createRequire } = require("node:module");
    const YAML = createRequire(process.argv[1] + "/web/package.json")("yaml");
    const fs = require("node:fs");
    const docs = YAML.parseAllDocuments(fs.readFileSync(process.argv[2], "utf8")).map((d) => d.toJS());
    const map = docs.find((d) => d.kind === "ConfigMap");
    process.stdout.write(Object.values(map.data)[0]);
  ' "$root" "$root/deploy/k8s/$([[ $site == hub ]] && echo hub || echo node-93).yaml" |
    map_paths | sed -e "s|$secrets/keys/node.key|$secrets/keys/node-93.key|" \
      -e "s|$secrets/tls/region\.|$secrets/tls/region-93.|" >"$tmp/k8s-$site.conf"
  database=$([[ $site == hub ]] && echo "$hub_db" || echo "${server%/*}/$node_db")
  extra=()
  [[ $site == hub ]] && extra=(--database-read "$hub_db" --grpc 127.0.0.1:0)
  [[ $site == node ]] && extra=(--hub "127.0.0.1:$hub_grpc")
  "$build/$site/ess-$site" --config "$tmp/k8s-$site.conf" --database "$database" --http 127.0.0.1:0 \
    "${extra[@]}" --ready-file "$tmp/k8s-$site.ready" >"$tmp/k8s-$site.log" 2>&1 &
  pids+=($!)
  wait_ready "$tmp/k8s-$site.ready" "${pids[-1]}" ||
    { cat "$tmp/k8s-$site.log" >&2; fail "$name ne démarre pas avec la configuration de deploy/k8s"; }
  [[ $site == hub ]] && hub_grpc=$(sed -E 's/.*"grpc":([0-9]+).*/\1/' "$tmp/k8s-hub.ready")
done
for pid in "${pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
pids=()
psql -q "$server" -c "DROP DATABASE $db" -c "DROP DATABASE $node_db" >/dev/null
echo "make_secrets_test: 1 passed, 0 failed"
