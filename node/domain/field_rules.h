#pragma once
// Syntax rules for single fields: SIRET, email, URL, phone, postcode, coordinates.
// Pure functions, no referential.

#include <optional>
#include <string>
#include <string_view>

namespace ess::node {

// 14 digits and the Luhn key; La Poste's establishments (SIREN 356000000) may instead have
// a sum of digits that is a multiple of 5.
bool IsValidSiret(std::string_view siret);
// SIRET as typed ("123 456 789 00012") without its spaces.
std::string NormalizeSiret(std::string_view siret);

// local@domain: at most 254 characters, local part at most 64, domain of dot-separated
// labels (letters, digits, hyphens; no leading or trailing hyphen) with a dot.
bool IsValidEmail(std::string_view email);
// http:// or https:// followed by a host with a dot (or "localhost"), optional port and
// path; no spaces, quotes, angle brackets or control characters; at most 500 characters.
bool IsValidUrl(std::string_view url);
// Digits with optional spaces, dots, hyphens, parentheses and a leading +; 6 to 15 digits.
bool IsValidPhone(std::string_view phone);
// Five digits.
bool IsValidPostcode(std::string_view postcode);

// The part of France a region lies in, for coordinate checks.
enum class FranceZone { kMetropole, kGuadeloupe, kMartinique, kGuyane, kReunion, kMayotte };
// The zone of an INSEE region code ("93" -> metropole, "04" -> Réunion); nullopt if unknown.
std::optional<FranceZone> ZoneOfRegion(std::string_view region);
// True iff (latitude, longitude) lies in the bounding box of `zone`.
bool IsInZone(FranceZone zone, double latitude, double longitude);
// True iff the point lies in France (any zone, overseas included).
bool IsInFrance(double latitude, double longitude);

// Number of Unicode code points of valid UTF-8 text; nullopt if not valid UTF-8.
std::optional<std::size_t> Utf8Length(std::string_view text);

}  // namespace ess::node
