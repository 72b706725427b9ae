#!/usr/bin/env bash
# make-test-certs.sh - a test certificate authority and the certificates of a federation, for
# TLS and mutual TLS between region nodes and the hub (docs/replication.md). Tests and demos
# only: short-lived, unencrypted private keys.
#
# Usage:
#   deploy/make-test-certs.sh OUT_DIR [REGION ...]     (regions default to "93 76")
#
# Writes into OUT_DIR (created if needed):
#   ca.pem, ca.key                    the test CA
#   hub.pem, hub.key                  the hub's server certificate: DNS localhost, IP 127.0.0.1
#   region-<code>.pem, .key           one client certificate per region: CN and DNS SAN
#                                     "region-<code>", the name the hub requires under mTLS
# Hub:  --tls-cert hub.pem --tls-key hub.key --tls-client-ca ca.pem
# Node: --hub-tls-ca ca.pem --hub-tls-cert region-93.pem --hub-tls-key region-93.key
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: ${0##*/} OUT_DIR [REGION ...]" >&2
  exit 2
fi
out=$1
shift
regions=("$@")
((${#regions[@]})) || regions=(93 76)
days=${ESS_TEST_CERT_DAYS:-30}

command -v openssl >/dev/null || { echo "${0##*/}: openssl is missing (deploy/install-deps.sh)" >&2; exit 1; }
mkdir -p "$out"
umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

NewKey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Signs a request for subject CN=$2 with extensions $3 into $out/$1.pem.
Issue() {
  local name=$1 cn=$2 extensions=$3
  NewKey "$out/$name.key"
  openssl req -new -key "$out/$name.key" -subj "/CN=$cn" -out "$tmp/$name.csr" 2>/dev/null
  printf '%s\n' "$extensions" >"$tmp/$name.ext"
  openssl x509 -req -in "$tmp/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
    -CAcreateserial -CAserial "$tmp/ca.srl" -days "$days" -sha256 \
    -extfile "$tmp/$name.ext" -out "$out/$name.pem" 2>/dev/null
}

NewKey "$out/ca.key"
openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" \
  -subj "/CN=ESS federation test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$out/ca.pem" 2>/dev/null

Issue hub ess-hub "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"

for region in "${regions[@]}"; do
  [[ $region =~ ^[0-9]{2,3}$ ]] || { echo "${0##*/}: « $region » n'est pas un code de région" >&2; exit 2; }
  Issue "region-$region" "region-$region" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
subjectAltName=DNS:region-$region"
done
chmod 644 "$out"/*.pem
echo "certificats de test dans $out : ca, hub, ${regions[*]/#/region-}" >&2
