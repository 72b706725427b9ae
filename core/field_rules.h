#pragma once
// Syntax rules for single payload fields, shared by the node (what it accepts and journals)
// and the hub (what it accepts from a region): SIRET, email, URL, phone, postcode, RFC 3339
// dates, UTF-8 length, and France's zones for coordinates. One copy: a record one side
// accepts, the other must accept too. Pure functions, no referential.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

// 14 digits and the Luhn key; La Poste's establishments (SIREN 356000000) may instead have
// a sum of digits that is a multiple of 5.
bool IsValidSiret(std::string_view siret);
// SIRET as typed ("123 456 789 00012") without its spaces.
std::string NormalizeSiret(std::string_view siret);

// local@domain: at most 254 characters, local part at most 64 (letters, digits and
// !#$%&'*+/=?^_`{|}~.- with no leading, trailing or double dot), domain of dot-separated
// labels (letters, digits, hyphens; no leading or trailing hyphen; 1..63 characters) with a
// dot.
bool IsValidEmail(std::string_view email);
// http:// or https:// followed by a host with a dot (or "localhost"), an optional port of
// 1..5 digits and an optional path, query or fragment; no credentials, spaces, quotes, angle
// brackets, backslashes, backquotes or control characters; at most 500 characters.
bool IsValidUrl(std::string_view url);
// Digits with optional spaces, dots, hyphens, parentheses and a leading +; 6 to 15 digits;
// at most 30 characters.
bool IsValidPhone(std::string_view phone);
// Five digits.
bool IsValidPostcode(std::string_view postcode);

// RFC 3339 date-time ("2026-01-01T00:00:00Z", fractional seconds up to 9 digits and offsets
// allowed) or full-date ("2026-01-01"), with a real calendar date.
bool IsRfc3339Date(std::string_view text);

// Number of Unicode code points of valid UTF-8 text; nullopt if not valid UTF-8.
std::optional<std::size_t> Utf8Length(std::string_view text);

// The parts of France a region lies in, for coordinate checks (WGS 84 bounding boxes, with
// a margin of a few kilometres around the land and its coastal islands).
enum class FranceZone { kMetropole, kGuadeloupe, kMartinique, kGuyane, kReunion, kMayotte };
struct ZoneBox {
  FranceZone zone;
  const char* name;  // French, e.g. "Guyane"
  double min_latitude, max_latitude, min_longitude, max_longitude;
};
// Every zone with its box: the one table both the checks and the published JSON Schema use.
const std::array<ZoneBox, 6>& FranceZoneBoxes();
// The zone of an INSEE region code ("93" -> metropole, "04" -> Réunion); nullopt if unknown.
std::optional<FranceZone> ZoneOfRegion(std::string_view region);
// True iff (latitude, longitude) lies in the box of `zone` (edges included).
bool IsInZone(FranceZone zone, double latitude, double longitude);
// True iff the point lies in France (any zone, overseas included); false for NaN/infinity.
bool IsInFrance(double latitude, double longitude);

}  // namespace ess
