# Shared by bench/node_writes.sh and bench/replication_lag.sh (sourced, not run): a throwaway
# PostgreSQL, a region key, an ess-node with its admin and the charter published (registrations
# need one), optionally an ess-hub the node replicates to. Expects $root, $build, $work.

bench_log() { echo "${bench_name:-bench}: $*" >&2; }
bench_pids=()
bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  "$root/deploy/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}

# Starts the cluster; sets $pg (its postgres database's URI) and creates the named databases.
bench_start_pg() {
  chmod 755 "$work"  # the cluster runs as postgres when we are root
  pg=$("$root/deploy/pg-throwaway.sh" start "$work/pg")
  local db
  for db in "$@"; do psql -q "$pg" -c "CREATE DATABASE $db"; done
}
bench_db() { echo "${pg%/postgres}/$1"; }

# Waits for a ready file and prints the port named $2 in it.
bench_ready_port() {
  local _
  for _ in $(seq 1 600); do [[ -s "$1" ]] && break; sleep 0.1; done
  [[ -s "$1" ]] || { bench_log "pas de fichier $1"; return 1; }
  jq -r ".$2" "$1"
}

# bench_start_node NODE_BIN DATABASE [more ess-node options]: the node for region 93 with its
# admin (admin@example.org) and the charter published; sets $node_port.
bench_start_node() {
  local bin=$1 database=$2
  shift 2
  [[ -f "$work/node.key" ]] ||
    "$build/essctl/essctl" keygen --name ess-federation/region/93 --out "$work/node.key" >"$work/node.key.txt"
  echo "mot-de-passe-admin" >"$work/admin.pw"
  local args=(--region 93 --database "$database" --key-file "$work/node.key"
    --referential "$build/referential.json")
  "$bin" "${args[@]}" --create-admin admin@example.org --admin-password-file "$work/admin.pw" \
    >/dev/null 2>>"$work/node.log"
  rm -f "$work/node.ready"
  "$bin" "${args[@]}" --http 127.0.0.1:0 --ready-file "$work/node.ready" --log-level warn \
    --participation.rate-per-minute 100000000 --participation.rate-burst 100000000 "$@" \
    2>>"$work/node.log" &
  bench_pids+=($!)
  node_port=$(bench_ready_port "$work/node.ready" http)
  local base=http://127.0.0.1:$node_port session csrf draft count
  session=$(curl -sf -c "$work/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.org","password":"mot-de-passe-admin"}' "$base/api/session")
  csrf=$(jq -r .csrf_token <<<"$session")
  draft='{"text":"Charte régionale de l'"'"'ESS","readhesion_days":90}'
  count=$(curl -sf -b "$work/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "$draft" "$base/api/admin/charter/preview" | jq .listings_to_readhere)
  curl -sf -b "$work/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    -d "$(jq -c ".confirm_listings = $count" <<<"$draft")" "$base/api/admin/charter" >/dev/null
  # The registration form's body (tests/node/node_fixture.cpp ValidInitiative).
  cat >"$work/body.json" <<'JSON'
{"name":"Épicerie solidaire du Panier","family":"association","legal_form":"association_loi_1901","activities":["alimentation","insertion"],"description":"Une épicerie solidaire et participative au cœur du Panier.","address":"12 rue du Panier","postcode":"13002","commune":"13055","latitude":43.299,"longitude":5.369,"email":"contact@epicerie.example","phone":"04 91 00 00 00","website":"https://epicerie.example","siret":"73282932000074","employer":true,"offers":[{"title":"Paniers de légumes","lead_time":"48 h"}],"private":{"contact_name":"Marie Durand","contact_email":"marie@perso.example","contact_phone":"06 12 34 56 78"},"charter":{"version":1,"adhered_by":"Marie Durand"}}
JSON
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$work/body.json" "$base/api/initiatives")
  [[ "$status" == 201 ]] || { bench_log "un dépôt répond $status"; cat "$work/node.log" >&2; return 1; }
}

# bench_start_hub HUB_BIN DATABASE: the hub with region 93 enrolled (the key of
# bench_start_node, made here if needed); sets $hub_http_port and $hub_grpc_port.
bench_start_hub() {
  local bin=$1 database=$2
  [[ -f "$work/node.key" ]] ||
    "$build/essctl/essctl" keygen --name ess-federation/region/93 --out "$work/node.key" >"$work/node.key.txt"
  "$build/essctl/essctl" keygen --name ess-federation/hub --out "$work/hub.key" >/dev/null
  "$bin" --database "$database" --key-file "$work/hub.key" --http 127.0.0.1:0 --grpc 127.0.0.1:0 \
    --ready-file "$work/hub.ready" --referential "$build/referential.json" --log-level warn \
    2>>"$work/hub.log" &
  bench_pids+=($!)
  hub_http_port=$(bench_ready_port "$work/hub.ready" http)
  hub_grpc_port=$(bench_ready_port "$work/hub.ready" grpc)
  "$build/essctl/essctl" region enrol --database "$database" --region 93 \
    --verifier-key "$(sed -n 's/^clé de vérification : //p' "$work/node.key.txt")" >/dev/null
}
