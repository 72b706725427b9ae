#pragma once
// What the hub requires of a payload's content (docs/protocol.md section 8), once the payload
// matched its entry's commitment: JSON object, required fields present with the right types,
// codes known to the common referential, coordinates inside France. Unknown fields are
// ignored (forward compatibility). Pure logic, no database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/log_entry.h"
#include "core/referential.h"
#include "core/verdict.h"

namespace ess::hub {

inline constexpr std::size_t kMaxNameLength = 200;         // characters
inline constexpr std::size_t kMaxDescriptionLength = 5000;  // characters
inline constexpr std::size_t kMaxActivities = 10;

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
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> website;
  std::optional<std::string> siret;
  std::optional<bool> employer;
  std::string offers_json = "[]";
  std::optional<std::int64_t> charter_version;
  std::optional<std::string> charter_adhered_at;
  std::optional<std::string> created_at;
  std::optional<std::string> updated_at;
  std::optional<std::string> confirmed_at;
  std::optional<std::string> valid_until;
  std::optional<std::string> hide_after;
  std::string status;
};

class PayloadRules {
 public:
  // `referential` must outlive the rules.
  explicit PayloadRules(const Referential& referential) : referential_(referential) {}

  // Ok, or kPayloadInvalid with the reason (in French), for a payload of `entry`'s kind and
  // operation. Key rotations are checked by the verifier itself and pass here.
  Verdict Check(const LogEntry& entry, ByteView payload) const;

  // Parses and checks an initiative revision (operation put) of a log of `log_region`.
  Verdict ParseInitiative(ByteView payload, std::string_view log_region,
                          InitiativeRevision& out) const;

 private:
  const Referential& referential_;
};

// RFC 3339 date-time ("2026-01-01T00:00:00Z", fractional seconds and offsets allowed) or
// full-date ("2026-01-01"), with a real calendar date.
bool IsRfc3339Date(std::string_view text);
// 14 digits with a valid Luhn sum, or a La Poste establishment (SIREN 356000000) whose digit
// sum is a multiple of 5.
bool IsValidSiret(std::string_view siret);
// Inside metropolitan France, Corsica or one of the five overseas regions (WGS 84).
bool IsInsideFrance(double latitude, double longitude);
// Number of Unicode code points in a valid UTF-8 string.
std::size_t Utf8Length(std::string_view text);

}  // namespace ess::hub
