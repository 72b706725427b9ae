#!/usr/bin/env bash
# Installs what the project needs on Debian 12, and only what is missing. Idempotent: a
# second run installs nothing. Run as root (or with sudo available).
#   deploy/install-deps.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Debian packages: build tools, the libraries of the design card, PostgreSQL 15, and what
# the tests and the demo drive (Chromium for browser tests, openssl for test certificates,
# clang-format and its clang-format-diff for the format check of tests/run.sh, clang 14 and
# its libFuzzer runtime for the fuzz targets of tests/fuzz, wrk for the load test of
# tests/load). cracklib (libcrack2-dev, with its dictionary in cracklib-runtime) checks new
# staff passwords (docs/decisions/0005-password-rules.md). libcurl (OpenSSL flavour) sends the
# outbox's mail over SMTP (docs/decisions/0009-smtp-through-libcurl.md); python3-aiosmtpd is
# the SMTP server the mail tests start on loopback (tests/support/smtp_sink.py). lld links the
# suite's executables (tests/run.sh; docs/operations.md, "Tests"). docker-compose validates
# deploy/container/docker-compose.yml (tests/deploy/manifests.test.mjs; no daemon needed).
# dpkg-dev (dpkg-shlibdeps) and lintian make and check the .deb packages (tests/deploy/package_test.sh);
# systemd-container's systemd-nspawn boots the throwaway system where tests/deploy/admin_guide_test.sh
# follows docs/admin-guide.md, whose `apt-get install postgresql` finds the meta-package installed.
packages=(
  g++ make cmake pkg-config clang-format clang-14 libclang-rt-14-dev lld
  libboost-dev libboost-program-options-dev
  libpqxx-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libspdlog-dev doctest-dev nlohmann-json3-dev libsodium-dev
  libcrack2-dev cracklib-runtime
  postgresql-15 postgresql-contrib postgresql
  chromium
  openssl curl ca-certificates wrk
  libcurl4-openssl-dev python3-aiosmtpd
  docker-compose
  dpkg-dev lintian systemd-container
  prometheus
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
# Node.js and npm drive the browser tests; a machine may already have them from elsewhere.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: Debian packages already installed"
fi

# Browser-side packages (Leaflet, playwright-core, axe-core...): installed from the lock file
# into web/node_modules, again only when the lock file changed since the last install.
if [[ -f "$root/web/package-lock.json" ]]; then
  stamp="$root/web/node_modules/.package-lock.json"
  if [[ ! -f "$stamp" || "$root/web/package-lock.json" -nt "$stamp" ]]; then
    echo "install-deps: npm ci in web/"
    (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "install-deps: web/node_modules up to date"
  fi
fi
