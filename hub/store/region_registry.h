#pragma once
// The hub's registry of regions (hub/sql/010_hub_regions.sql): which regions may replicate,
// the keys each signs with (validity as a range of log indexes), their revocation, and the
// region's status (active, or forked until an admin acts). Used by the hub's replication and
// by essctl; every function works inside the caller's transaction.
//
// Admin outcomes (a region already enrolled, an unknown key...) are values with a French
// message; database errors propagate as exceptions.
// Call PrepareRegionRegistryStatements() on every new connection.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.h"
#include "core/region_keys.h"

namespace ess::hub {

void PrepareRegionRegistryStatements(pqxx::connection& conn);

inline constexpr std::string_view kRegionActive = "active";
inline constexpr std::string_view kRegionForked = "forked";

struct EnrolledKey {
  std::string verifier_key;  // signed-note verifier key string
  std::uint32_t key_id = 0;
  std::string fingerprint;
  std::uint64_t valid_from_index = 0;
  std::optional<std::uint64_t> valid_until_index;
  std::string added_by;  // "admin" or "rotation"
  std::optional<std::uint64_t> rotation_index;
  std::string added_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> revoked_reason;

  // The key as the verifier holds it (core/region_keys.h): what it may sign is decided by
  // RegionKey::Covers and `revoked`. Throws std::runtime_error if the stored key does not parse.
  RegionKey ToRegionKey() const;
};

struct RegionRecord {
  std::string region;
  std::string name;
  std::string status;  // kRegionActive or kRegionForked
  std::optional<std::string> status_reason;
  std::string enrolled_at;
  std::vector<EnrolledKey> keys;  // by valid_from_index
  std::optional<std::string> site_url;  // the region's public site, as its node announced it
};

// The longest region site address the hub keeps (bytes).
inline constexpr std::size_t kMaxSiteUrlBytes = 200;

// The site address a node announced (ReplicationHello.site_url) as the hub keeps it: an
// absolute http or https URL of at most kMaxSiteUrlBytes, with a host, no user information,
// query or fragment, no white space, control or non-ASCII character, no quote or angle
// bracket; trailing slashes are dropped ("https://ess.example/carte/" ->
// "https://ess.example/carte"). Nullopt for anything else, and for an empty announcement.
std::optional<std::string> SiteUrlOf(std::string_view announced);

// The page of record `record_id` on the region's site `site_url` (the node's
// /initiative.html?id=..., the id percent-encoded).
std::string RegionRecordPage(const std::string& site_url, std::string_view record_id);

struct AdminOutcome {
  bool ok = true;
  std::string message;  // French, for the admin
  static AdminOutcome Ok(std::string m) { return {true, std::move(m)}; }
  static AdminOutcome Refused(std::string m) { return {false, std::move(m)}; }
};

class RegionRegistry {
 public:
  RegionRegistry(pqxx::transaction_base& txn, std::string federation, const Clock& clock)
      : txn_(txn), federation_(std::move(federation)), clock_(clock) {}

  // Enrols one of the 18 regions with its first key (a verifier key string named after the
  // region's origin), valid from log index `from_index`. Refused if the region is already
  // enrolled, the code is not a region, or the key is not the region's.
  AdminOutcome Enrol(const std::string& region, const std::string& verifier_key,
                     std::uint64_t from_index = 0);
  // Adds a key an admin received out of band (e.g. after a lost key), valid from
  // `from_index`; the current key's range closes there.
  AdminOutcome AddKey(const std::string& region, const std::string& verifier_key,
                      std::uint64_t from_index);
  // Revokes the key with this fingerprint or key id (8 hex digits): it signs nothing more.
  AdminOutcome RevokeKey(const std::string& region, const std::string& fingerprint_or_key_id,
                         const std::string& reason);

  std::optional<RegionRecord> Find(const std::string& region);
  std::vector<RegionRecord> List();

  // Stores the site address an authenticated stream of the region announced, through
  // SiteUrlOf: an invalid or empty announcement clears it (the hub then links to no site).
  // Returns what is stored.
  std::optional<std::string> AnnounceSiteUrl(const std::string& region, std::string_view announced);
  // Region code -> site address, for the regions whose site the hub knows.
  std::map<std::string, std::string> SiteUrls();

  // The key ring the verifier checks the region's checkpoints with.
  RegionKeyRing LoadKeyRing(const std::string& region);
  // Stores a rotation the verifier accepted (the current key closes at from_index).
  void ApplyRotation(const std::string& region, const KeyRotation& rotation,
                     std::uint64_t rotation_index);

  // Stops the region's replication on a fork, keeping the reason.
  void MarkForked(const std::string& region, const std::string& reason);
  // Lets a forked region replicate again as it is (the node now holds the hub's history).
  AdminOutcome Reactivate(const std::string& region);
  // Forgets what the hub holds of the region's log (entries, tree, checkpoints, national
  // rows), keeps its keys enrolled by admins and its rejection history, and lets it replicate
  // again from index 0: the way out of a fork or of a node restored from an old backup when
  // the node's log is to be the truth.
  AdminOutcome ResetReplica(const std::string& region);

  std::string Origin(const std::string& region) const;

 private:
  std::string Now() const;
  pqxx::transaction_base& txn_;
  std::string federation_;
  const Clock& clock_;
};

// "2026-01-01T00:00:00Z" (UTC, seconds) for a time point: how the hub passes its clock to SQL.
std::string ToRfc3339(std::chrono::system_clock::time_point t);

}  // namespace ess::hub
