#pragma once
// What the hub requires of a payload's content, once the payload matched its entry's
// commitment: the core payload schema (core/payload_schema.h, published in docs/schemas/),
// which the node also checks before journalling, against the hub's referential. This file
// only adapts it to the verifier (PayloadCheck) and to the national tables
// (InitiativeRevision), so that a payload checked once is not parsed again.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/log_entry.h"
#include "core/payload_schema.h"
#include "core/referential.h"
#include "core/verdict.h"

namespace ess::hub {

// The public fields of one initiative revision, as the national tables store them. Dates stay
// RFC 3339 strings (already checked); PostgreSQL parses them.
struct InitiativeRevision {
  std::string name;
  std::string family;
  std::string legal_form;
  std::vector<std::string> activities;
  std::string description;
  std::optional<std::string> address;
  std::optional<std::string> postcode;
  std::string commune;
  std::string commune_name;  // from the referential
  std::string department;
  std::string region;
  double latitude = 0;
  double longitude = 0;
  std::string location_precision = "placed";  // "placed", "commune" or "approximate"
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> website;
  std::optional<std::string> siret;
  std::optional<bool> employer;
  std::string offers_json = "[]";
  std::vector<std::string> offer_titles;  // the offers' titles, for the search words
  std::optional<std::int64_t> charter_version;
  std::optional<std::string> charter_adhered_at;
  std::optional<std::string> created_at;
  std::optional<std::string> updated_at;
  std::optional<std::string> confirmed_at;
  std::optional<std::string> valid_until;
  std::optional<std::string> hide_after;
  std::string status;
};

// Initiative revisions the verifier parsed while checking a batch, by log index: what the
// national view applies, so no payload is parsed twice.
using ParsedInitiatives = std::map<std::uint64_t, InitiativeRevision>;

// Thread-safe (no mutable state): one instance serves every region's streams.
class PayloadRules {
 public:
  // `referential` must outlive the rules.
  explicit PayloadRules(const Referential& referential)
      : referential_(referential), checker_(referential) {}

  // The whole check of the payload of `entry` (its kind, operation and region): Ok, or
  // kPayloadInvalid with the reason in French. An initiative revision that passes goes to
  // `parsed` (when given) under the entry's index. This is the verifier's PayloadCheck.
  Verdict Check(const LogEntry& entry, ByteView payload, ParsedInitiatives* parsed = nullptr) const;

  // The same check, with the parsed payload handed back.
  ParsedPayload Parse(const LogEntry& entry, ByteView payload) const;

  // Parses and checks an initiative revision (operation put) of a log of `log_region`.
  Verdict ParseInitiative(ByteView payload, std::string_view log_region,
                          InitiativeRevision& out) const;

  // The referential payloads are checked against (activity labels for the search words).
  const Referential& referential() const { return referential_; }

 private:
  InitiativeRevision RevisionOf(const nlohmann::json& payload) const;

  const Referential& referential_;
  PayloadChecker checker_;
};

}  // namespace ess::hub
