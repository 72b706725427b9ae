#include "hub/store/region_registry.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "core/checkpoint.h"
#include "core/field_rules.h"
#include "core/log_store.h"
#include "core/pg_fields.h"
#include "core/regions.h"

namespace ess::hub {

namespace {

std::optional<std::uint64_t> OptionalIndex(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::uint64_t>();
}

// A row of hub_region_key_list.
EnrolledKey EnrolledKeyOf(const pqxx::row& row) {
  return {row[0].as<std::string>(),   row[1].as<std::uint32_t>(), row[2].as<std::string>(),
          row[3].as<std::uint64_t>(), OptionalIndex(row[4]),      row[5].as<std::string>(),
          OptionalIndex(row[6]),      row[7].as<std::string>(),   OptionalText(row[8]),
          OptionalText(row[9])};
}

std::string KeyIdHex(std::uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

}  // namespace

std::optional<std::string> SiteUrlOf(std::string_view announced) {
  // Core's rule for a link (http or https, a host, no credentials, no white space, quote or
  // angle bracket), then what a base address must not hold besides.
  if (announced.size() > kMaxSiteUrlBytes || !IsValidUrl(announced)) return std::nullopt;
  for (char ch : announced) {
    if (static_cast<unsigned char>(ch) >= 0x7f || ch == '\'' || ch == '?' || ch == '#') {
      return std::nullopt;
    }
  }
  std::string url(announced);
  const std::size_t authority_end = url.find('/', url.find("://") + 3);
  while (authority_end != std::string::npos && url.size() > authority_end && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::string RegionRecordPage(const std::string& site_url, std::string_view record_id) {
  std::string out = site_url + "/initiative.html?id=";
  for (char ch : record_id) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

RegionKey EnrolledKey::ToRegionKey() const {
  auto key = ParseVerifierKey(verifier_key);
  if (!key) throw std::runtime_error("clé illisible en base : " + fingerprint);
  return {*key, valid_from_index, valid_until_index, revoked_at.has_value()};
}

std::string ToRfc3339(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void PrepareRegionRegistryStatements(pqxx::connection& c) {
  c.prepare("hub_region_insert",
            "INSERT INTO hub_region (region, name, status, enrolled_at, updated_at) "
            "VALUES ($1, $2, 'active', $3, $3) ON CONFLICT (region) DO NOTHING");
  c.prepare(
      "hub_region_replication_insert",
      "INSERT INTO hub_region_replication (region) VALUES ($1) ON CONFLICT (region) DO NOTHING");
  c.prepare("hub_region_select",
            "SELECT region, name, status, status_reason, "
            "to_char(enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            "site_url FROM hub_region WHERE region = $1");
  c.prepare("hub_region_set_site_url",
            "UPDATE hub_region SET site_url = $2 WHERE region = $1 "
            "AND site_url IS DISTINCT FROM $2");
  c.prepare("hub_region_site_urls",
            "SELECT region, site_url FROM hub_region WHERE site_url IS NOT NULL ORDER BY region");
  c.prepare("hub_region_list",
            "SELECT region, name, status, status_reason, "
            "to_char(enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
            "FROM hub_region ORDER BY region");
  c.prepare("hub_region_set_status",
            "UPDATE hub_region SET status = $2, status_reason = $3, updated_at = $4 "
            "WHERE region = $1");
  c.prepare("hub_region_key_list",
            "SELECT verifier_key, key_id, fingerprint, valid_from_index, valid_until_index, "
            "added_by, rotation_index, "
            "to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            "to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
            "revoked_reason "
            "FROM hub_region_key WHERE region = $1 ORDER BY valid_from_index, added_at, key_id");
  c.prepare("hub_region_key_insert",
            "INSERT INTO hub_region_key (region, key_id, verifier_key, fingerprint, "
            "valid_from_index, added_by, rotation_index, added_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
  c.prepare("hub_region_key_close_current",
            "UPDATE hub_region_key SET valid_until_index = $2 "
            "WHERE region = $1 AND valid_until_index IS NULL AND revoked_at IS NULL "
            "AND valid_from_index < $2");
  c.prepare("hub_region_key_revoke",
            "UPDATE hub_region_key SET revoked_at = $3, revoked_reason = $4 "
            "WHERE region = $1 AND key_id = $2 AND revoked_at IS NULL");
  c.prepare("hub_region_key_delete_rotated",
            "DELETE FROM hub_region_key WHERE region = $1 AND added_by = 'rotation'");
  c.prepare("hub_region_key_set_until",
            "UPDATE hub_region_key SET valid_until_index = $3 WHERE region = $1 AND key_id = $2");
  // Resetting a replica: the region's log and national rows go, its history of refusals stays.
  c.prepare("hub_reset_log_entry", "DELETE FROM log_entry WHERE region = $1");
  c.prepare("hub_reset_merkle_node", "DELETE FROM merkle_node WHERE region = $1");
  c.prepare("hub_reset_log_checkpoint", "DELETE FROM log_checkpoint WHERE region = $1");
  c.prepare("hub_reset_log_head", "DELETE FROM log_head WHERE region = $1");
  c.prepare("hub_reset_national", "DELETE FROM national_initiative WHERE region = $1");
  c.prepare("hub_reset_national_state", "DELETE FROM national_initiative_state WHERE region = $1");
  c.prepare("hub_reset_replication",
            "UPDATE hub_region_replication SET accepted_batches = 0, accepted_entries = 0, "
            "caught_up_at = NULL, last_accepted_at = NULL WHERE region = $1");
}

std::string RegionRegistry::Origin(const std::string& region) const {
  return RegionOrigin(federation_, region);
}

std::string RegionRegistry::Now() const { return ToRfc3339(clock_.Now()); }

AdminOutcome RegionRegistry::Enrol(const std::string& region, const std::string& verifier_key,
                                   std::uint64_t from_index) {
  const RegionInfo* info = FindRegion(region);
  if (!info) return AdminOutcome::Refused("« " + region + " » n'est pas un code INSEE de région");
  auto key = ParseVerifierKey(verifier_key);
  if (!key) return AdminOutcome::Refused("clé de vérification illisible : « " + verifier_key + " »");
  if (key->name != Origin(region)) {
    return AdminOutcome::Refused("la clé est nommée « " + key->name + " », attendu « " +
                                 Origin(region) + " »");
  }
  const std::string now = Now();
  auto inserted = txn_.exec_prepared("hub_region_insert", region, std::string(info->name), now);
  if (inserted.affected_rows() == 0) {
    return AdminOutcome::Refused("la région " + region +
                                 " est déjà inscrite (pour une nouvelle clé : add-key)");
  }
  txn_.exec_prepared("hub_region_replication_insert", region);
  const std::string fingerprint = KeyFingerprint(key->public_key);
  txn_.exec_prepared("hub_region_key_insert", region, key->key_id, verifier_key, fingerprint,
                     from_index, "admin", nullptr, now);
  return AdminOutcome::Ok("région " + region + " (" + std::string(info->name) +
                          ") inscrite ; empreinte de sa clé : " + fingerprint);
}

AdminOutcome RegionRegistry::AddKey(const std::string& region, const std::string& verifier_key,
                                    std::uint64_t from_index) {
  if (!Find(region)) return AdminOutcome::Refused("région " + region + " non inscrite");
  auto key = ParseVerifierKey(verifier_key);
  if (!key) return AdminOutcome::Refused("clé de vérification illisible : « " + verifier_key + " »");
  RegionKeyRing ring = LoadKeyRing(region);
  // The ring enforces the rules: the key's name, no duplicate, not before the current key.
  if (Verdict v = ring.Rotate(*key, from_index); !v.ok()) return AdminOutcome::Refused(v.reason);
  txn_.exec_prepared("hub_region_key_close_current", region, from_index);
  const std::string fingerprint = KeyFingerprint(key->public_key);
  txn_.exec_prepared("hub_region_key_insert", region, key->key_id, verifier_key, fingerprint,
                     from_index, "admin", nullptr, Now());
  return AdminOutcome::Ok("clé " + fingerprint + " ajoutée à la région " + region +
                          ", valide à partir de l'index " + std::to_string(from_index));
}

AdminOutcome RegionRegistry::RevokeKey(const std::string& region,
                                       const std::string& fingerprint_or_key_id,
                                       const std::string& reason) {
  auto record = Find(region);
  if (!record) return AdminOutcome::Refused("région " + region + " non inscrite");
  for (const auto& k : record->keys) {
    if (k.fingerprint == fingerprint_or_key_id || KeyIdHex(k.key_id) == fingerprint_or_key_id) {
      if (k.revoked_at) return AdminOutcome::Refused("clé " + k.fingerprint + " déjà révoquée");
      txn_.exec_prepared("hub_region_key_revoke", region, k.key_id, Now(), reason);
      return AdminOutcome::Ok("clé " + k.fingerprint + " de la région " + region + " révoquée");
    }
  }
  return AdminOutcome::Refused("aucune clé « " + fingerprint_or_key_id + " » pour la région " +
                               region);
}

std::optional<RegionRecord> RegionRegistry::Find(const std::string& region) {
  auto r = txn_.exec_prepared("hub_region_select", region);
  if (r.empty()) return std::nullopt;
  RegionRecord rec{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                   OptionalText(r[0][3]),     r[0][4].as<std::string>(), {},
                   OptionalText(r[0][5])};
  for (const auto& row : txn_.exec_prepared("hub_region_key_list", region)) {
    rec.keys.push_back(EnrolledKeyOf(row));
  }
  return rec;
}

std::vector<RegionRecord> RegionRegistry::List() {
  std::vector<std::string> codes;
  for (const auto& row : txn_.exec_prepared("hub_region_list")) codes.push_back(row[0].as<std::string>());
  std::vector<RegionRecord> out;
  for (const auto& code : codes) {
    if (auto rec = Find(code)) out.push_back(std::move(*rec));
  }
  return out;
}

std::optional<std::string> RegionRegistry::AnnounceSiteUrl(const std::string& region,
                                                           std::string_view announced) {
  std::optional<std::string> url = SiteUrlOf(announced);
  txn_.exec_prepared("hub_region_set_site_url", region, url);
  return url;
}

std::map<std::string, std::string> RegionRegistry::SiteUrls() {
  std::map<std::string, std::string> out;
  for (const auto& row : txn_.exec_prepared("hub_region_site_urls")) {
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  return out;
}

RegionKeyRing RegionRegistry::LoadKeyRing(const std::string& region) {
  RegionKeyRing ring(Origin(region));
  for (const auto& row : txn_.exec_prepared("hub_region_key_list", region)) {
    if (Verdict v = ring.Add(EnrolledKeyOf(row).ToRegionKey()); !v.ok()) {
      throw std::runtime_error("trousseau incohérent en base pour la région " + region + " : " +
                               v.reason);
    }
  }
  return ring;
}

void RegionRegistry::ApplyRotation(const std::string& region, const KeyRotation& rotation,
                                   std::uint64_t rotation_index) {
  txn_.exec_prepared("hub_region_key_close_current", region, rotation.from_index);
  txn_.exec_prepared("hub_region_key_insert", region, rotation.next_key.key_id,
                     FormatVerifierKey(rotation.next_key.name, rotation.next_key.public_key),
                     KeyFingerprint(rotation.next_key.public_key), rotation.from_index,
                     "rotation", rotation_index, Now());
}

void RegionRegistry::MarkForked(const std::string& region, const std::string& reason) {
  txn_.exec_prepared("hub_region_set_status", region, std::string(kRegionForked), reason, Now());
}

AdminOutcome RegionRegistry::Reactivate(const std::string& region) {
  auto record = Find(region);
  if (!record) return AdminOutcome::Refused("région " + region + " non inscrite");
  if (record->status == kRegionActive) return AdminOutcome::Refused("la région " + region + " est déjà active");
  txn_.exec_prepared("hub_region_set_status", region, std::string(kRegionActive), nullptr, Now());
  return AdminOutcome::Ok("région " + region + " réactivée : la synchronisation reprend");
}

AdminOutcome RegionRegistry::ResetReplica(const std::string& region) {
  auto record = Find(region);
  if (!record) return AdminOutcome::Refused("région " + region + " non inscrite");
  // Serialise with a batch being stored for the region.
  LogStore(txn_, region).ReadHead(/*lock=*/true);
  for (const char* statement :
       {"hub_reset_log_entry", "hub_reset_merkle_node", "hub_reset_log_checkpoint",
        "hub_reset_log_head", "hub_reset_national", "hub_reset_national_state",
        "hub_reset_replication"}) {
    txn_.exec_prepared(statement, region);
  }
  // Keys introduced by rotation entries come back when the log is replayed; the admin keys'
  // ranges are rebuilt as if those rotations had not happened yet.
  txn_.exec_prepared("hub_region_key_delete_rotated", region);
  std::vector<EnrolledKey> admin_keys;
  for (const auto& k : record->keys) {
    if (k.added_by == "admin") admin_keys.push_back(k);
  }
  for (std::size_t i = 0; i < admin_keys.size(); ++i) {
    const char* until = nullptr;
    std::string next;
    if (i + 1 < admin_keys.size()) {
      next = std::to_string(admin_keys[i + 1].valid_from_index);
      until = next.c_str();
    }
    txn_.exec_prepared("hub_region_key_set_until", region, admin_keys[i].key_id, until);
  }
  txn_.exec_prepared("hub_region_set_status", region, std::string(kRegionActive), nullptr, Now());
  return AdminOutcome::Ok("réplique de la région " + region +
                          " effacée : elle se resynchronise depuis l'index 0");
}

}  // namespace ess::hub
