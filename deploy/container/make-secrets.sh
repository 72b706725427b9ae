#!/usr/bin/env bash
# make-secrets.sh - what deploy/container/docker-compose.yml mounts, made once on the host:
#   secrets/tls/   a test CA, the hub's server certificate and one client certificate per region
#                  (deploy/make-test-certs.sh; in production put your own CA's files there)
#   secrets/keys/  the hub's cosigning key and each region's signing key (essctl keygen, run in
#                  the image; mode 0600)
#   secrets/db.env the PostgreSQL password drawn at random (POSTGRES_PASSWORD, PGPASSWORD)
#   .env           ESS_UID and ESS_GID, the uid:gid the services run as
# Files already there are kept (run it again after adding a region). As root, the keys the
# services read are given to the image's user (10001) and the services run as it; otherwise
# they run as the admin. The CA's key and db.env stay the admin's.
#
# Usage: deploy/container/make-secrets.sh [REGION ...]   (default "93 76", the compose file's)
# Environment: ESS_IMAGE (default ess-federation:0.1.0), built first:
#   docker build -f deploy/container/Dockerfile -t ess-federation:0.1.0 .
# or ESS_ESSCTL, an essctl of this machine to make the keys with instead of the image's (the
# suite's tests/deploy/make_secrets_test.sh does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${ESS_IMAGE:-ess-federation:0.1.0}
regions=("$@")
((${#regions[@]})) || regions=(93 76)
for region in "${regions[@]}"; do
  [[ $region =~ ^[0-9]{2}$ ]] || { echo "${0##*/}: « $region » n'est pas un code de région" >&2; exit 2; }
done
essctl=${ESS_ESSCTL:-}
if [[ -z $essctl ]]; then
  command -v docker >/dev/null || { echo "${0##*/}: docker est introuvable" >&2; exit 1; }
  docker image inspect "$image" >/dev/null 2>&1 ||
    { echo "${0##*/}: image $image introuvable : docker build -f deploy/container/Dockerfile -t $image ." >&2; exit 1; }
fi

if [[ $(id -u) -eq 0 ]]; then uid=10001 gid=10001; else uid=$(id -u) gid=$(id -g); fi
secrets=$here/secrets
umask 077
mkdir -p "$secrets/tls" "$secrets/keys"

missing=()
for region in "${regions[@]}"; do [[ -s $secrets/tls/region-$region.pem ]] || missing+=("$region"); done
if [[ ! -s $secrets/tls/ca.pem ]]; then
  "$root/deploy/make-test-certs.sh" "$secrets/tls" "${regions[@]}"
elif ((${#missing[@]})); then
  echo "${0##*/}: $secrets/tls a déjà une AC : y ajouter les certificats de ${missing[*]} avec la vôtre" >&2
  exit 1
fi

# What the services read belongs to their uid; the CA's key and db.env stay the admin's.
chown "$uid:$gid" "$secrets/keys" "$secrets/tls/hub.key" "$secrets"/tls/region-*.key
keygen() {  # NAME FILE: a signing key made in the image, as the services' user
  [[ -s $secrets/keys/$2 ]] && return 0
  if [[ -n $essctl ]]; then
    "$essctl" keygen --name "$1" --out "$secrets/keys/$2" >/dev/null
    chown "$uid:$gid" "$secrets/keys/$2"
  else
    docker run --rm --network none --user "$uid:$gid" -v "$secrets/keys:/out" "$image" \
      essctl keygen --name "$1" --out "/out/$2" >/dev/null
  fi
}
keygen ess-federation/hub hub.key
for region in "${regions[@]}"; do keygen "ess-federation/region/$region" "node-$region.key"; done

if [[ ! -s $secrets/db.env ]]; then
  password=$(openssl rand -hex 24)
  printf 'POSTGRES_PASSWORD=%s\nPGPASSWORD=%s\n' "$password" "$password" >"$secrets/db.env"
fi
printf 'ESS_UID=%s\nESS_GID=%s\n' "$uid" "$gid" >"$here/.env"
chmod 644 "$here/.env"
echo "secrets dans $secrets (tls, keys, db.env) ; les services tournent en $uid:$gid" >&2
