#pragma once
// The regional charter: versioned text published by the admin. A submission adheres to the
// current version; a new version asks existing initiatives to re-adhere within
// `readhesion_days`. Past that deadline an initiative still on an older version is
// "re-adhesion due" and the committee sees it in its queue.

#include <optional>
#include <string>

#include "node/domain/failure.h"
#include "node/domain/initiative.h"
#include "node/domain/time_format.h"

namespace ess::node {

struct CharterVersion {
  int version = 0;
  std::string record_id;
  std::string text;
  UnixSeconds published_at = 0;
  int readhesion_days = 90;
};

inline constexpr std::size_t kCharterTextMax = 60'000;  // payloads stay under 64 KiB

// Checks a text and a period to publish: non-empty text of at most kCharterTextMax bytes
// that follows the multi-line text rule (core/field_rules.h: CheckText, so the text must
// have been normalised, as ReadEnteredText does), period of 1 to 730 days.
std::optional<Failure> CheckCharterDraft(const std::string& text, int readhesion_days);

// A new version must differ from the one in force: kInvalid `unchanged` on "text" when
// `text` (normalised) is `current`'s text; nullopt before the first version or when it
// differs.
std::optional<Failure> CheckCharterChanged(const std::string& text,
                                           const std::optional<CharterVersion>& current);

// Publishing asks `listings` initiatives to re-adhere: the admin must have seen that count
// in the preview and confirmed it. Before the first version (no current one) nothing is
// asked and no confirmation is needed. kInvalid `confirmation_required` on
// "confirm_listings" when it is missing, kConflict `readhesion_count_changed` when the count
// confirmed is no longer the count.
std::optional<Failure> CheckPublicationConfirmed(const std::optional<int>& confirmed, int listings,
                                                 bool has_current);

// The initiative should re-adhere: it is on an older version and still in the workflow
// (pending, changes requested, admitted or suspended).
bool ReadhesionAsked(const Initiative& initiative, const CharterVersion& current);
// Asked, and the period since publication is over.
bool ReadhesionDue(const Initiative& initiative, const CharterVersion& current, UnixSeconds now);

// The charter_version payload of docs/protocol.md §8.
std::string CharterVersionPayload(const CharterVersion& charter);

}  // namespace ess::node
