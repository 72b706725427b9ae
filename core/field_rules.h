#pragma once
// Syntax rules for single payload fields, shared by the node (what it accepts and journals)
// and the hub (what it accepts from a region): SIRET, email, URL, phone, postcode, RFC 3339
// dates, UTF-8 length, the one text rule of every free-text field, France's zones for
// coordinates and how far a position may lie from its commune. One copy: a record one side
// accepts, the other must accept too. Pure functions, no referential.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/geo.h"

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

// The one text rule (docs/node.md, "Texts"): what every free-text field of every entry path
// may hold, on the node before it stores or journals it and in the payload check both node
// and hub run (core/payload_schema.h).
//
// Two kinds of field. Single-line: names, titles, adhered_by, contact names, addresses,
// colleges, codes. Multi-line: descriptions, comments, reasons, the charter's text.
//
// A text must be valid UTF-8 (shortest form, no surrogate halves, nothing above U+10FFFF)
// and hold none of:
// - C0 controls U+0000..U+001F, except LF and TAB in a multi-line text (CR never: entry
//   normalises it, see NormalizeText); DEL U+007F; C1 controls U+0080..U+009F;
// - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (line breaks that are not LF);
// - bidi embeddings and overrides U+202A..U+202E and isolates U+2066..U+2069;
// - invisible characters that let two texts look alike or hide content: U+00AD SOFT
//   HYPHEN, U+034F COMBINING GRAPHEME JOINER, U+115F/U+1160/U+3164/U+FFA0 HANGUL FILLERs,
//   U+180E MONGOLIAN VOWEL SEPARATOR, U+200B ZERO WIDTH SPACE, U+2060..U+2064 (word joiner,
//   invisible operators), U+FEFF BYTE ORDER MARK, U+FFF9..U+FFFB (interlinear annotation)
//   and the tag characters U+E0000..U+E007F;
// - noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane.
// Kept on purpose: U+200C ZWNJ and U+200D ZWJ (Persian, Indic scripts, emoji sequences),
// U+200E/U+200F/U+061C (LRM, RLM, ALM: they change no order of letters, mixed-direction text
// needs them), variation selectors (emoji), U+00A0 and U+202F (French typography).
// A single-line text also has no leading or trailing white space and no run of two white
// spaces; a multi-line text no leading or trailing white space (lines keep theirs).
enum class TextKind { kSingleLine, kMultiLine };

enum class TextFault {
  kNone,
  kInvalidUtf8,
  kLineBreak,     // LF or TAB in a single-line text, CR or U+2028/U+2029 in any text
  kInvisible,     // a control, bidi or invisible formatting character
  kNoncharacter,  // U+FDD0..U+FDEF, U+xFFFE, U+xFFFF
  kSpacing,       // white space at either end, or doubled in a single-line text
};

struct TextCheck {
  TextFault fault = TextFault::kNone;
  char32_t code_point = 0;  // the refused character (kLineBreak, kInvisible, kNoncharacter)
  std::size_t length = 0;   // code points, when ok
  bool ok() const { return fault == TextFault::kNone; }
};

// The rule above: ok with the text's length in code points, or the first fault.
TextCheck CheckText(std::string_view text, TextKind kind);

// What every entry path does to a text before CheckText: multi-line, CR LF and lone CR become
// LF; both kinds, white space at either end (the space separators, TAB, LF, VT, FF, CR) is
// removed; single-line, every run of space separators (Unicode Zs) inside becomes one space
// (a lone U+00A0 or U+202F stays as it is). Refused characters (a TAB or LF inside a
// single-line text) are left for CheckText to name. Text that is not valid UTF-8
// comes back unchanged. NormalizeText of an ok text is that text.
std::string NormalizeText(std::string_view text, TextKind kind);

// The French message of a fault, naming the field by `label` (« nom », « motif »): « Le champ
// « nom » contient un caractère invisible ou de contrôle (U+202E). ». Empty when ok.
std::string TextFaultMessage(const TextCheck& check, std::string_view label);

// "U+202E": a code point as Unicode writes it (4 to 6 hexadecimal digits).
std::string CodePointName(char32_t code_point);

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

// How far from its commune's reference point (the referential's coordinates) an initiative
// may be placed, by the commune's department (docs/decisions/0006-position-near-commune.md):
// 250 km in Guyane (973: Maripasoula, 18,360 km², reaches about 185 km from its town), 50 km
// everywhere else (Arles, the largest metropolitan commune at 759 km², reaches about 43 km
// from its reference point; overseas communes are smaller).
inline constexpr double kCommuneRadiusMetres = 50'000;
inline constexpr double kGuyaneCommuneRadiusMetres = 250'000;
double CommuneRadiusMetres(std::string_view department);

// How far an approximated commune point (the referential's `position_source`, decision 0007)
// may lie from the commune's real reference point: the largest error measured for its source
// by holding out exact communes, rounded up to 10 km ("postcode" 90 km, "intercommunality" and
// "arrondissement" 60 km, "department" and any other approximation 100 km; 170 km for every
// approximation in Guyane). 0 for an exact point ("geonames", or "" in older referentials).
double PositionErrorMetres(std::string_view department, std::string_view position_source);
// The radius widened by that error: CommuneRadiusMetres + PositionErrorMetres.
double CommuneRadiusMetres(std::string_view department, std::string_view position_source);

// The distance in metres of `position` from `commune_point` when it is beyond the commune
// radius of `department` (widened for an approximated point of `position_source`); nullopt when
// within (the position is plausible for the commune).
std::optional<double> DistanceBeyondCommune(std::string_view department,
                                            std::string_view position_source,
                                            GeoPoint commune_point, GeoPoint position);
// The same for an exact commune point.
std::optional<double> DistanceBeyondCommune(std::string_view department, GeoPoint commune_point,
                                            GeoPoint position);

// The French message of a position too far from its commune: « La position est à 412 km de la
// commune Marseille : vérifiez la commune ou la position (au plus 50 km). »; for an approximated
// point « ... à 412 km du point approché de la commune Montfuron : ... (au plus 140 km). ».
std::string PositionFarMessage(double distance_metres, std::string_view commune_name,
                               std::string_view department,
                               std::string_view position_source = "geonames");

}  // namespace ess
