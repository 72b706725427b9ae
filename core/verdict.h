#pragma once
// The outcome of verifying something that came from elsewhere (an entry, a payload, a
// checkpoint, a batch). Expected failures are values, never exceptions; every failure
// carries a reason a person can read (in French, as it is shown to admins).

#include <string>
#include <string_view>

namespace ess {

enum class VerdictCode {
  kOk,
  kMalformed,        // bytes that do not parse as the format says
  kUnknownKey,       // no enrolled key of the region matches the signature's key id
  kRevokedKey,       // the key is revoked, or retired for the log index it signs
  kBadSignature,     // a known key's signature does not verify, or does not cover the data
  kGap,              // an entry index beyond the next expected one
  kFork,             // signed evidence of two histories: two signed trees of one size with
                     // different roots, or a signed tree whose proven prefix is not the held one
  kBadProof,         // a consistency proof that does not verify, is missing or too long
  kEntryMismatch,    // a re-sent entry with other bytes than the one held at its index
  kWrongRegion,      // the entry or checkpoint belongs to another region
  kPayloadMismatch,  // payload and salt do not match the entry's commitment
  kPayloadInvalid,   // the payload matches its commitment but its content is not valid
};

// Stable snake_case name used in proto, SQL and JSON ("ok", "malformed", "unknown_key"...).
std::string_view VerdictCodeName(VerdictCode code);

struct Verdict {
  VerdictCode code = VerdictCode::kOk;
  std::string reason;

  bool ok() const { return code == VerdictCode::kOk; }
  static Verdict Ok() { return {}; }
  static Verdict Fail(VerdictCode code, std::string reason) { return {code, std::move(reason)}; }
};

}  // namespace ess
