#include "hub/payload_rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

namespace ess::hub {

namespace {

using nlohmann::json;

Verdict Invalid(std::string why) {
  return Verdict::Fail(VerdictCode::kPayloadInvalid, std::move(why));
}

// Reads an optional field: absent or null gives nullopt; another type than string is an
// error reported through `error`.
std::optional<std::string> OptionalString(const json& j, const char* field, std::string& error) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    error = std::string("champ « ") + field + " » : texte attendu";
    return std::nullopt;
  }
  return it->get<std::string>();
}

Verdict RequiredString(const json& j, const char* field, std::string& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return Invalid(std::string("champ « ") + field + " » manquant");
  if (!it->is_string()) return Invalid(std::string("champ « ") + field + " » : texte attendu");
  out = it->get<std::string>();
  return Verdict::Ok();
}

Verdict OptionalDate(const json& j, const char* field, std::optional<std::string>& out) {
  std::string error;
  out = OptionalString(j, field, error);
  if (!error.empty()) return Invalid(error);
  if (out && !IsRfc3339Date(*out)) {
    return Invalid(std::string("champ « ") + field + " » : date RFC 3339 attendue, reçu « " +
                   *out + " »");
  }
  return Verdict::Ok();
}

Verdict CheckEnum(const std::string& value, const char* field,
                  std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return Verdict::Ok();
  }
  return Invalid(std::string("champ « ") + field + " » : valeur « " + value + " » inconnue");
}

Verdict ParseObject(ByteView payload, json& out) {
  out = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (out.is_discarded()) return Invalid("contenu JSON illisible (ou UTF-8 invalide)");
  if (!out.is_object()) return Invalid("le contenu doit être un objet JSON");
  return Verdict::Ok();
}

bool IsUuidText(std::string_view text) { return RecordIdFromString(text).has_value(); }

Verdict CheckDecision(const json& j) {
  std::string initiative, decision;
  if (Verdict v = RequiredString(j, "initiative", initiative); !v.ok()) return v;
  if (!IsUuidText(initiative)) return Invalid("champ « initiative » : identifiant UUID attendu");
  if (Verdict v = RequiredString(j, "decision", decision); !v.ok()) return v;
  if (Verdict v = CheckEnum(decision, "decision",
                            {"admit", "reject", "request_changes", "suspend", "reinstate"});
      !v.ok()) {
    return v;
  }
  if (j.contains("initiative_version") && !j["initiative_version"].is_number_unsigned()) {
    return Invalid("champ « initiative_version » : entier attendu");
  }
  std::string error;
  OptionalString(j, "reasons", error);
  if (!error.empty()) return Invalid(error);
  std::optional<std::string> date;
  if (Verdict v = OptionalDate(j, "decided_at", date); !v.ok()) return v;
  if (j.contains("votes")) {
    if (!j["votes"].is_array()) return Invalid("champ « votes » : tableau attendu");
    for (const auto& vote : j["votes"]) {
      if (!vote.is_object()) return Invalid("champ « votes » : objets attendus");
      std::string value;
      if (Verdict v = RequiredString(vote, "vote", value); !v.ok()) return v;
      if (Verdict v = CheckEnum(value, "vote", {"admit", "reject", "request_changes", "abstain"});
          !v.ok()) {
        return v;
      }
    }
  }
  if (j.contains("rule") && !j["rule"].is_object()) return Invalid("champ « rule » : objet attendu");
  return Verdict::Ok();
}

Verdict CheckCharter(const json& j) {
  if (!j.contains("version") || !j["version"].is_number_unsigned()) {
    return Invalid("champ « version » : entier attendu");
  }
  std::string text;
  if (Verdict v = RequiredString(j, "text", text); !v.ok()) return v;
  std::optional<std::string> date;
  if (Verdict v = OptionalDate(j, "published_at", date); !v.ok()) return v;
  if (j.contains("readhesion_days") && !j["readhesion_days"].is_number_unsigned()) {
    return Invalid("champ « readhesion_days » : entier attendu");
  }
  return Verdict::Ok();
}

Verdict CheckMembership(const json& j) {
  std::string member;
  if (Verdict v = RequiredString(j, "member", member); !v.ok()) return v;
  std::string error;
  auto role = OptionalString(j, "role", error);
  if (!error.empty()) return Invalid(error);
  if (role) {
    if (Verdict v = CheckEnum(*role, "role", {"member", "chair"}); !v.ok()) return v;
  }
  OptionalString(j, "college", error);
  if (!error.empty()) return Invalid(error);
  if (j.contains("active") && !j["active"].is_boolean()) {
    return Invalid("champ « active » : booléen attendu");
  }
  return Verdict::Ok();
}

bool InBox(double lat, double lon, double lat_min, double lat_max, double lon_min,
           double lon_max) {
  return lat >= lat_min && lat <= lat_max && lon >= lon_min && lon <= lon_max;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool Digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::size_t Utf8Length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsRfc3339Date(std::string_view s) {
  int year, month, day;
  if (!Digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, month) ||
      s[7] != '-' || !Digits(s, 8, 2, day)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || year < 1) {
    return false;
  }
  if (s.size() == 10) return true;
  int hour, minute, second;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, hour) ||
      s[13] != ':' || !Digits(s, 14, 2, minute) || s[16] != ':' || !Digits(s, 17, 2, second)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second > 60) return false;
  std::size_t at = 19;
  if (s[at] == '.') {
    std::size_t digits = 0;
    for (++at; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at) ++digits;
    if (digits == 0 || digits > 9) return false;
  }
  if (at >= s.size()) return false;
  if (s[at] == 'Z' || s[at] == 'z') return at + 1 == s.size();
  int oh, om;
  return s.size() == at + 6 && (s[at] == '+' || s[at] == '-') && Digits(s, at + 1, 2, oh) &&
         s[at + 3] == ':' && Digits(s, at + 4, 2, om) && oh <= 23 && om <= 59;
}

bool IsValidSiret(std::string_view siret) {
  if (siret.size() != 14) return false;
  int sum = 0, digit_sum = 0;
  for (std::size_t i = 0; i < 14; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(siret[i]))) return false;
    int d = siret[i] - '0';
    digit_sum += d;
    // Luhn from the right: every second digit (odd positions from the left in 14) doubled.
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  // La Poste's establishments share one SIREN and most fail Luhn: their digit sum is a
  // multiple of 5 instead (its head office passes Luhn too).
  if (siret.substr(0, 9) == "356000000" && digit_sum % 5 == 0) return true;
  return sum % 10 == 0;
}

bool IsInsideFrance(double lat, double lon) {
  if (!std::isfinite(lat) || !std::isfinite(lon)) return false;
  return InBox(lat, lon, 41.3, 51.2, -5.3, 9.7) ||        // metropolitan France and Corsica
         InBox(lat, lon, 15.8, 16.6, -61.9, -60.9) ||     // Guadeloupe
         InBox(lat, lon, 14.3, 14.95, -61.3, -60.75) ||   // Martinique
         InBox(lat, lon, 2.0, 5.9, -54.7, -51.5) ||       // Guyane
         InBox(lat, lon, -21.45, -20.85, 55.2, 55.9) ||   // La Réunion
         InBox(lat, lon, -13.05, -12.6, 44.95, 45.35);    // Mayotte
}

Verdict PayloadRules::Check(const LogEntry& entry, ByteView payload) const {
  json j;
  if (Verdict v = ParseObject(payload, j); !v.ok()) return v;
  if (entry.operation == Operation::kErase) {
    std::string error;
    OptionalString(j, "reason", error);
    return error.empty() ? Verdict::Ok() : Invalid(error);
  }
  switch (entry.kind) {
    case RecordKind::kInitiative: {
      InitiativeRevision ignored;
      return ParseInitiative(payload, entry.region, ignored);
    }
    case RecordKind::kCommitteeDecision: return CheckDecision(j);
    case RecordKind::kCharterVersion: return CheckCharter(j);
    case RecordKind::kCommitteeMembership: return CheckMembership(j);
    case RecordKind::kKeyRotation: return Verdict::Ok();
  }
  return Invalid("type d'enregistrement inconnu");
}

Verdict PayloadRules::ParseInitiative(ByteView payload, std::string_view log_region,
                                      InitiativeRevision& out) const {
  json j;
  if (Verdict v = ParseObject(payload, j); !v.ok()) return v;
  InitiativeRevision r;
  if (Verdict v = RequiredString(j, "name", r.name); !v.ok()) return v;
  if (auto n = Utf8Length(r.name); n < 2 || n > kMaxNameLength) {
    return Invalid("champ « name » : 2 à 200 caractères");
  }
  if (Verdict v = RequiredString(j, "family", r.family); !v.ok()) return v;
  if (!referential_.Family(r.family)) {
    return Invalid("champ « family » : famille « " + r.family + " » absente du référentiel");
  }
  if (Verdict v = RequiredString(j, "legal_form", r.legal_form); !v.ok()) return v;
  const auto* form = referential_.LegalForm(r.legal_form);
  if (!form) {
    return Invalid("champ « legal_form » : forme « " + r.legal_form + " » absente du référentiel");
  }
  if (form->parent != r.family) {
    return Invalid("champ « legal_form » : « " + r.legal_form + " » n'est pas de la famille « " +
                   r.family + " »");
  }
  if (!j.contains("activities") || !j["activities"].is_array()) {
    return Invalid("champ « activities » : tableau attendu");
  }
  for (const auto& a : j["activities"]) {
    if (!a.is_string()) return Invalid("champ « activities » : codes attendus");
    auto code = a.get<std::string>();
    if (!referential_.Activity(code)) {
      return Invalid("champ « activities » : activité « " + code + " » absente du référentiel");
    }
    r.activities.push_back(std::move(code));
  }
  if (r.activities.empty() || r.activities.size() > kMaxActivities) {
    return Invalid("champ « activities » : 1 à 10 activités");
  }
  std::string error;
  r.description = OptionalString(j, "description", error).value_or("");
  if (!error.empty()) return Invalid(error);
  if (Utf8Length(r.description) > kMaxDescriptionLength) {
    return Invalid("champ « description » : 5 000 caractères au plus");
  }
  r.address = OptionalString(j, "address", error);
  r.postcode = OptionalString(j, "postcode", error);
  r.email = OptionalString(j, "email", error);
  r.phone = OptionalString(j, "phone", error);
  r.website = OptionalString(j, "website", error);
  r.siret = OptionalString(j, "siret", error);
  if (!error.empty()) return Invalid(error);
  if (r.siret && !IsValidSiret(*r.siret)) {
    return Invalid("champ « siret » : « " + *r.siret + " » n'est pas un SIRET valide");
  }
  if (Verdict v = RequiredString(j, "commune", r.commune); !v.ok()) return v;
  const Commune* commune = referential_.FindCommune(r.commune);
  if (!commune) return Invalid("champ « commune » : code INSEE « " + r.commune + " » inconnu");
  r.commune_name = commune->name;
  if (Verdict v = RequiredString(j, "department", r.department); !v.ok()) return v;
  if (Verdict v = RequiredString(j, "region", r.region); !v.ok()) return v;
  if (r.department != commune->department || r.region != commune->region) {
    return Invalid("champs « department »/« region » : la commune " + r.commune + " est dans le " +
                   commune->department + ", région " + commune->region);
  }
  if (r.region != log_region) {
    return Invalid("champ « region » : « " + r.region + " » dans le journal de la région " +
                   std::string(log_region));
  }
  if (!j.contains("latitude") || !j["latitude"].is_number() || !j.contains("longitude") ||
      !j["longitude"].is_number()) {
    return Invalid("champs « latitude »/« longitude » : nombres attendus");
  }
  r.latitude = j["latitude"].get<double>();
  r.longitude = j["longitude"].get<double>();
  if (!IsInsideFrance(r.latitude, r.longitude)) {
    return Invalid("coordonnées hors de France (" + std::to_string(r.latitude) + ", " +
                   std::to_string(r.longitude) + ")");
  }
  if (j.contains("employer") && !j["employer"].is_null()) {
    if (!j["employer"].is_boolean()) return Invalid("champ « employer » : booléen attendu");
    r.employer = j["employer"].get<bool>();
  }
  if (j.contains("offers") && !j["offers"].is_null()) {
    if (!j["offers"].is_array()) return Invalid("champ « offers » : tableau attendu");
    for (const auto& o : j["offers"]) {
      if (!o.is_object()) return Invalid("champ « offers » : objets attendus");
    }
    r.offers_json = j["offers"].dump();
  }
  if (j.contains("charter_version") && !j["charter_version"].is_null()) {
    if (!j["charter_version"].is_number_integer()) {
      return Invalid("champ « charter_version » : entier attendu");
    }
    r.charter_version = j["charter_version"].get<std::int64_t>();
  }
  for (auto [field, target] :
       {std::pair{"charter_adhered_at", &r.charter_adhered_at}, std::pair{"created_at", &r.created_at},
        std::pair{"updated_at", &r.updated_at}, std::pair{"confirmed_at", &r.confirmed_at},
        std::pair{"valid_until", &r.valid_until}, std::pair{"hide_after", &r.hide_after}}) {
    if (Verdict v = OptionalDate(j, field, *target); !v.ok()) return v;
  }
  if (Verdict v = RequiredString(j, "status", r.status); !v.ok()) return v;
  if (Verdict v = CheckEnum(r.status, "status",
                            {"pending", "changes_requested", "admitted", "rejected", "suspended",
                             "withdrawn"});
      !v.ok()) {
    return v;
  }
  out = std::move(r);
  return Verdict::Ok();
}

}  // namespace ess::hub
