#!/usr/bin/env bash
# deploy/container/make-secrets.sh makes every file docker-compose.yml mounts, with the right
# modes and owners, keeps them when run again; and the compose file's "enrol" script, run as it
# is against a real PostgreSQL, enrols each region's key once. Uses the build's essctl instead
# of the image's (no container daemon here: ESS_ESSCTL).
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
cleanup() {
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
psql -q "$server" -c "DROP DATABASE $db" >/dev/null
echo "make_secrets_test: 1 passed, 0 failed"
