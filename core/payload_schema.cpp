#include "core/payload_schema.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "core/ed25519.h"
#include "core/field_rules.h"
#include "core/region_log_verifier.h"  // kMaxPayloadSize

namespace ess {

namespace {

using nlohmann::json;

// Builds a FieldSpec in one expression: F("name", JsonType::kString).Required().Length(2, 200).
class F {
 public:
  F(std::string name, JsonType type) {
    spec_.name = std::move(name);
    spec_.type = type;
    if (type == JsonType::kInteger) {  // what a double holds exactly, and every reader's int64
      spec_.minimum = -kMaxPayloadInteger;
      spec_.maximum = kMaxPayloadInteger;
    }
  }
  F& Required() {
    spec_.required = true;
    return *this;
  }
  F& About(std::string description) {
    spec_.description = std::move(description);
    return *this;
  }
  F& Length(std::size_t min, std::optional<std::size_t> max) {
    spec_.min_length = min;
    spec_.max_length = max;
    return *this;
  }
  F& Values(std::vector<std::string> values) {
    spec_.values = std::move(values);
    return *this;
  }
  F& MultiLine() {
    spec_.text = TextKind::kMultiLine;
    return *this;
  }
  F& Syntax(TextSyntax syntax) {
    spec_.syntax = syntax;
    return *this;
  }
  F& Codes(CodeList codes) {
    spec_.codes = codes;
    const bool territory =
        codes == CodeList::kCommune || codes == CodeList::kDepartment || codes == CodeList::kRegion;
    spec_.syntax = territory ? TextSyntax::kInseeCode : TextSyntax::kCode;
    return *this;
  }
  // An absent bound keeps the type's (integers: kMaxPayloadInteger).
  F& Range(std::optional<double> min, std::optional<double> max) {
    if (min) spec_.minimum = min;
    if (max) spec_.maximum = max;
    return *this;
  }
  F& Below(double exclusive_max) {
    spec_.exclusive_maximum = exclusive_max;
    return *this;
  }
  F& Unique() {
    spec_.unique_items = true;
    return *this;
  }
  F& Items(FieldSpec item) {
    spec_.item = {std::move(item)};
    return *this;
  }
  F& Fields(std::vector<FieldSpec> fields) {
    spec_.fields = std::move(fields);
    return *this;
  }
  operator FieldSpec() const { return spec_; }

 private:
  FieldSpec spec_;
};

F Date(std::string name) {
  return std::move(F(std::move(name), JsonType::kString).Syntax(TextSyntax::kDate));
}

// The text rule (CheckText), which a regular expression would state only in part.
constexpr const char* kTextRule =
    "Strings are valid UTF-8 without control characters (LF and TAB allowed in multi-line "
    "texts: description, conditions, guarantees, reasons, reason, text), bidi embeddings, "
    "overrides or isolates, BOM or other invisible formatting characters, or noncharacters; "
    "no white space at either end, nor doubled in single-line texts (core/field_rules.h).";

std::vector<PayloadSchema> BuildSchemas() {
  using T = JsonType;
  std::vector<PayloadSchema> out;

  PayloadSchema initiative;
  initiative.id = "initiative-put";
  initiative.title = "initiative / put";
  initiative.description = "The public state of an initiative after the change.";
  initiative.operation = Operation::kPut;
  initiative.kind = RecordKind::kInitiative;
  initiative.inside_france = true;
  initiative.fields = {
      F("name", T::kString).Required().Length(2, 200).About("Public name."),
      F("family", T::kString)
          .Required()
          .Length(1, 64)
          .Codes(CodeList::kFamily)
          .About("ESS family."),
      F("legal_form", T::kString)
          .Required()
          .Length(1, 64)
          .Codes(CodeList::kLegalForm)
          .About("Legal form, of the family `family`."),
      F("activities", T::kArray)
          .Required()
          .Length(1, 10)
          .Unique()
          .Items(F("activity", T::kString).Length(1, 64).Codes(CodeList::kActivity))
          .About("Distinct activities."),
      F("description", T::kString).Length(0, 5000).MultiLine(),
      F("address", T::kString).Length(0, 300),
      F("postcode", T::kString).Syntax(TextSyntax::kPostcode).Length(5, 5),
      F("commune", T::kString)
          .Required()
          .Length(1, 5)
          .Codes(CodeList::kCommune)
          .About("INSEE code of the commune."),
      F("department", T::kString)
          .Required()
          .Length(1, 3)
          .Codes(CodeList::kDepartment)
          .About("The commune's department."),
      F("region", T::kString)
          .Required()
          .Length(1, 3)
          .Codes(CodeList::kRegion)
          .About("The commune's region, which is the region of the log."),
      F("latitude", T::kNumber).Required().Range(-90, 90).About("WGS 84, inside France."),
      F("longitude", T::kNumber).Required().Range(-180, 180).About("WGS 84, inside France."),
      F("location_precision", T::kString)
          .Values({"placed", "commune", "approximate"})
          .About("What the position is: \"placed\" by the registrant (coordinates given or "
                 "a pin), the commune's exact reference point (\"commune\") or its "
                 "approximated one (\"approximate\"). Absent: \"placed\"."),
      F("email", T::kString).Length(0, 254).Syntax(TextSyntax::kEmail).About("Public contact."),
      F("phone", T::kString).Length(0, 30).Syntax(TextSyntax::kPhone).About("Public contact."),
      F("website", T::kString).Length(0, 500).Syntax(TextSyntax::kUrl),
      F("siret", T::kString)
          .Length(14, 14)
          .Syntax(TextSyntax::kSiret)
          .About("14 digits with a valid Luhn key (La Poste: digit sum a multiple of 5)."),
      F("employer", T::kBoolean),
      F("offers", T::kArray)
          .Length(0, 20)
          .Items(F("offer", T::kObject)
                     .Fields({
                         F("title", T::kString).Required().Length(1, 200),
                         F("description", T::kString).Length(0, 2000).MultiLine(),
                         F("conditions", T::kString).Length(0, 2000).MultiLine(),
                         F("lead_time", T::kString).Length(0, 200),
                         F("guarantees", T::kString).Length(0, 2000).MultiLine(),
                     }))
          .About("Offers of products or services."),
      F("charter_version", T::kInteger)
          .Range(1, std::nullopt)
          .About("The version of the regional charter adhered to."),
      Date("charter_adhered_at"),
      F("status", T::kString)
          .Required()
          .Values(
              {"pending", "changes_requested", "admitted", "rejected", "suspended", "withdrawn"})
          .About("Only an initiative whose latest revision is admitted is on the maps."),
      Date("created_at"),
      Date("updated_at"),
      Date("confirmed_at"),
      Date("valid_until").About("From that date on the record is to confirm (core/freshness.h)."),
      Date("hide_after").About("Past it the record leaves the public map."),
  };
  initiative.code_only_rules = {
      "family, legal_form, activities, commune, department and region are codes of the "
      "common referential (docs/referential.md).",
      "legal_form belongs to family.",
      "department and region are those of the commune.",
      "region is the region of the log the entry belongs to.",
      "siret has a valid Luhn key (La Poste's establishments, SIREN 356000000: a digit sum "
      "that is a multiple of 5).",
      "Dates are real calendar dates (no 2026-02-30, no year 0000).",
      "latitude/longitude lie within 50 km of the commune's coordinates in the referential "
      "(250 km in Guyane, department 973) when it has them, widened for an approximated "
      "commune point by the largest error measured for its source (90 km for postcode, 60 km "
      "for intercommunality and arrondissement, 100 km otherwise, 170 km in Guyane; "
      "docs/decisions/0007-commune-positions.md).",
      kTextRule,
  };
  out.push_back(std::move(initiative));

  PayloadSchema decision;
  decision.id = "committee_decision-put";
  decision.title = "committee_decision / put";
  decision.description = "A decision of the regional ethics committee on an initiative.";
  decision.operation = Operation::kPut;
  decision.kind = RecordKind::kCommitteeDecision;
  const std::vector<std::string> votes = {"admit", "reject", "request_changes", "abstain"};
  decision.fields = {
      F("initiative", T::kString)
          .Required()
          .Syntax(TextSyntax::kUuid)
          .About("Record id of the initiative."),
      F("initiative_version", T::kInteger)
          .Required()
          .Range(1, std::nullopt)
          .About("Record version of the revision decided on."),
      F("decision", T::kString)
          .Required()
          .Values({"admit", "reject", "request_changes", "suspend", "reinstate"}),
      F("reasons", T::kString).MultiLine(),
      F("votes", T::kArray)
          .Items(F("vote", T::kObject)
                     .Fields({
                         F("member", T::kString)
                             .Syntax(TextSyntax::kUuid)
                             .About("Record id of the member (of their memberships)."),
                         F("college", T::kString),
                         F("vote", T::kString).Required().Values(votes),
                         F("reason", T::kString).MultiLine(),
                     })),
      F("rule", T::kObject)
          .Fields({
              F("quorum", T::kInteger).Required().Range(1, std::nullopt),
              F("majority", T::kNumber).Required().Range(0.5, std::nullopt).Below(1),
              F("min_colleges", T::kInteger).Required().Range(1, std::nullopt),
          })
          .About("The decision rule the votes were counted by."),
      Date("decided_at").Required(),
  };
  decision.code_only_rules = {"decided_at is a real calendar date.", kTextRule};
  out.push_back(std::move(decision));

  PayloadSchema charter;
  charter.id = "charter_version-put";
  charter.title = "charter_version / put";
  charter.description = "A version of the regional charter initiatives adhere to.";
  charter.operation = Operation::kPut;
  charter.kind = RecordKind::kCharterVersion;
  charter.fields = {
      F("version", T::kInteger).Required().Range(1, std::nullopt),
      F("text", T::kString).Required().Length(1, std::nullopt).MultiLine(),
      Date("published_at").Required(),
      F("readhesion_days", T::kInteger)
          .Range(0, std::nullopt)
          .About("How many days existing initiatives have to adhere to this version."),
  };
  charter.code_only_rules = {"published_at is a real calendar date.", kTextRule};
  out.push_back(std::move(charter));

  PayloadSchema membership;
  membership.id = "committee_membership-put";
  membership.title = "committee_membership / put";
  membership.description =
      "A member's place in the committee. Names and emails of members stay on the node.";
  membership.operation = Operation::kPut;
  membership.kind = RecordKind::kCommitteeMembership;
  membership.fields = {
      F("member", T::kString)
          .Required()
          .Syntax(TextSyntax::kUuid)
          .About("Record id of the member."),
      F("college", T::kString).Required().Length(1, 200),
      F("role", T::kString).Required().Values({"member", "chair"}),
      F("active", T::kBoolean).Required(),
  };
  membership.code_only_rules = {kTextRule};
  out.push_back(std::move(membership));

  PayloadSchema rotation;
  rotation.id = "key_rotation-put";
  rotation.title = "key_rotation / put";
  rotation.description =
      "Names the region's next key and the log index it signs from (docs/protocol.md "
      "section 4).";
  rotation.operation = Operation::kPut;
  rotation.kind = RecordKind::kKeyRotation;
  rotation.fields = {
      F("from_index", T::kInteger)
          .Required()
          .Range(1, std::nullopt)
          .About("Size of the last checkpoint the old key signs."),
      F("next_key", T::kString)
          .Required()
          .Syntax(TextSyntax::kVerifierKey)
          .About("Verifier key, named after the region's origin, its key id in lower case."),
  };
  rotation.code_only_rules = {
      "next_key's key id is the one its name and key give (docs/protocol.md section 4).",
      "next_key is named after the log's origin, and from_index is the size of the "
      "checkpoint that ends with this entry (checked by the hub's verifier)."};
  out.push_back(std::move(rotation));

  PayloadSchema erase;
  erase.id = "erase";
  erase.title = "erase (any kind)";
  erase.description =
      "A tombstone: every holder deletes the payload and salt of the record's put entries; the "
      "tombstone keeps its own, which holds nothing personal.";
  erase.operation = Operation::kErase;
  erase.fields = {F("reason", T::kString).Required().Length(1, 500)};
  erase.code_only_rules = {kTextRule};
  out.push_back(std::move(erase));
  return out;
}

Verdict Invalid(std::string why) {
  return Verdict::Fail(VerdictCode::kPayloadInvalid, std::move(why));
}

std::string Quoted(const std::string& path) { return "champ « " + path + " »"; }

bool IsCanonicalUuid(std::string_view text) {
  auto id = RecordIdFromString(text);
  return id && RecordIdToString(*id) == text;
}

bool IsReferentialCode(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsInseeCode(std::string_view text) {
  if (text.size() < 2 || text.size() > 5 || text[0] < '0' || text[0] > '9') return false;
  if (text[1] == 'A' || text[1] == 'B') {
    if (text[0] != '2') return false;
  } else if (text[1] < '0' || text[1] > '9') {
    return false;
  }
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

bool MatchesSyntax(TextSyntax syntax, const std::string& text) {
  switch (syntax) {
    case TextSyntax::kNone: return true;
    case TextSyntax::kDate: return IsRfc3339Date(text);
    case TextSyntax::kUuid: return IsCanonicalUuid(text);
    case TextSyntax::kSiret: return IsValidSiret(text);
    case TextSyntax::kEmail: return IsValidEmail(text);
    case TextSyntax::kUrl: return IsValidUrl(text);
    case TextSyntax::kPhone: return IsValidPhone(text);
    case TextSyntax::kPostcode: return IsValidPostcode(text);
    case TextSyntax::kVerifierKey: return IsCanonicalVerifierKey(text);
    case TextSyntax::kCode: return IsReferentialCode(text);
    case TextSyntax::kInseeCode: return IsInseeCode(text);
  }
  return false;
}

const char* SyntaxLabel(TextSyntax syntax) {
  switch (syntax) {
    case TextSyntax::kNone: return "texte";
    case TextSyntax::kDate: return "date RFC 3339";
    case TextSyntax::kUuid: return "identifiant UUID";
    case TextSyntax::kSiret: return "SIRET valide (14 chiffres, clé de contrôle)";
    case TextSyntax::kEmail: return "adresse de courriel";
    case TextSyntax::kUrl: return "adresse web http:// ou https://";
    case TextSyntax::kPhone: return "numéro de téléphone";
    case TextSyntax::kPostcode: return "code postal à 5 chiffres";
    case TextSyntax::kVerifierKey: return "clé de vérification";
    case TextSyntax::kCode: return "code du référentiel";
    case TextSyntax::kInseeCode: return "code INSEE";
  }
  return "texte";
}

// JSON Schema's "integer": any number with a zero fractional part (1.0 included).
bool IsInteger(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

Verdict CheckValue(const FieldSpec& f, const json& v, const std::string& path);

Verdict CheckObject(const std::vector<FieldSpec>& fields, const json& object,
                    const std::string& prefix) {
  for (const FieldSpec& f : fields) {
    const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
    auto it = object.find(f.name);
    if (it == object.end()) {
      if (f.required) return Invalid(Quoted(path) + " manquant");
      continue;
    }
    if (Verdict v = CheckValue(f, *it, path); !v.ok()) return v;
  }
  return Verdict::Ok();
}

Verdict CheckValue(const FieldSpec& f, const json& v, const std::string& path) {
  switch (f.type) {
    case JsonType::kString: {
      if (!v.is_string()) return Invalid(Quoted(path) + " : texte attendu");
      const auto& text = v.get_ref<const std::string&>();
      auto length = Utf8Length(text);
      if (!length) return Invalid(Quoted(path) + " : UTF-8 invalide");
      if (*length < f.min_length || (f.max_length && *length > *f.max_length)) {
        return Invalid(Quoted(path) + " : " + std::to_string(f.min_length) + " à " +
                       (f.max_length ? std::to_string(*f.max_length) : std::string("…")) +
                       " caractères");
      }
      if (!f.values.empty() &&
          std::find(f.values.begin(), f.values.end(), text) == f.values.end()) {
        return Invalid(Quoted(path) + " : valeur « " + text + " » inconnue");
      }
      if (!MatchesSyntax(f.syntax, text)) {
        return Invalid(Quoted(path) + " : " + SyntaxLabel(f.syntax) + " attendu, reçu « " + text +
                       " »");
      }
      if (TextCheck check = CheckText(text, f.text); !check.ok()) {
        return Invalid(TextFaultMessage(check, path));
      }
      return Verdict::Ok();
    }
    case JsonType::kInteger:
    case JsonType::kNumber: {
      const bool integer = f.type == JsonType::kInteger;
      if (integer ? !IsInteger(v) : !v.is_number()) {
        return Invalid(Quoted(path) + (integer ? " : entier attendu" : " : nombre attendu"));
      }
      const double d = v.get<double>();
      if (!std::isfinite(d) || (f.minimum && d < *f.minimum) || (f.maximum && d > *f.maximum) ||
          (f.exclusive_maximum && d >= *f.exclusive_maximum)) {
        return Invalid(Quoted(path) + " : valeur " + v.dump() + " hors des bornes");
      }
      return Verdict::Ok();
    }
    case JsonType::kBoolean:
      return v.is_boolean() ? Verdict::Ok() : Invalid(Quoted(path) + " : booléen attendu");
    case JsonType::kArray: {
      if (!v.is_array()) return Invalid(Quoted(path) + " : tableau attendu");
      if (v.size() < f.min_length || (f.max_length && v.size() > *f.max_length)) {
        return Invalid(Quoted(path) + " : " + std::to_string(f.min_length) + " à " +
                       (f.max_length ? std::to_string(*f.max_length) : std::string("…")) +
                       " éléments");
      }
      if (f.unique_items && std::set<json>(v.begin(), v.end()).size() != v.size()) {
        return Invalid(Quoted(path) + " : éléments en double");
      }
      for (std::size_t i = 0; i < v.size() && !f.item.empty(); ++i) {
        if (Verdict r = CheckValue(f.item[0], v[i], path + "[" + std::to_string(i) + "]");
            !r.ok()) {
          return r;
        }
      }
      return Verdict::Ok();
    }
    case JsonType::kObject:
      if (!v.is_object()) return Invalid(Quoted(path) + " : objet attendu");
      return CheckObject(f.fields, v, path);
  }
  return Invalid(Quoted(path) + " : type inconnu");
}

const ReferentialEntry* FindCode(const Referential& r, CodeList list, const std::string& code) {
  switch (list) {
    case CodeList::kNone: return nullptr;
    case CodeList::kFamily: return r.Family(code);
    case CodeList::kLegalForm: return r.LegalForm(code);
    case CodeList::kActivity: return r.Activity(code);
    case CodeList::kDepartment: return r.Department(code);
    case CodeList::kRegion: return r.Region(code);
    case CodeList::kCommune: return nullptr;  // communes are not ReferentialEntry
  }
  return nullptr;
}

const char* CodeListLabel(CodeList list) {
  switch (list) {
    case CodeList::kNone: return "";
    case CodeList::kFamily: return "famille";
    case CodeList::kLegalForm: return "forme juridique";
    case CodeList::kActivity: return "activité";
    case CodeList::kCommune: return "commune";
    case CodeList::kDepartment: return "département";
    case CodeList::kRegion: return "région";
  }
  return "";
}

// Every code of the payload (fields and array items, at any depth) is in its list.
Verdict CheckCodes(const Referential& r, const FieldSpec& f, const json& v,
                   const std::string& path) {
  if (f.codes != CodeList::kNone && v.is_string()) {
    const std::string& code = v.get_ref<const std::string&>();
    const bool known = f.codes == CodeList::kCommune ? r.FindCommune(code) != nullptr
                                                     : FindCode(r, f.codes, code) != nullptr;
    if (!known) {
      return Invalid(Quoted(path) + " : " + CodeListLabel(f.codes) + " « " + code +
                     " » absente du référentiel");
    }
  }
  if (v.is_array() && !f.item.empty()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (Verdict c = CheckCodes(r, f.item[0], v[i], path + "[" + std::to_string(i) + "]");
          !c.ok()) {
        return c;
      }
    }
  }
  if (v.is_object()) {
    for (const FieldSpec& sub : f.fields) {
      if (auto it = v.find(sub.name); it != v.end()) {
        if (Verdict c = CheckCodes(r, sub, *it, path + "." + sub.name); !c.ok()) return c;
      }
    }
  }
  return Verdict::Ok();
}

Verdict CheckInitiativeConsistency(const Referential& r, const json& j,
                                   std::string_view log_region) {
  const std::string family = j["family"], legal_form = j["legal_form"];
  if (r.LegalForm(legal_form)->parent != family) {
    return Invalid("champ « legal_form » : « " + legal_form + " » n'est pas de la famille « " +
                   family + " »");
  }
  const std::string commune = j["commune"], department = j["department"], region = j["region"];
  const Commune* c = r.FindCommune(commune);
  if (department != c->department || region != c->region) {
    return Invalid("champs « department »/« region » : la commune " + commune + " est dans le " +
                   c->department + ", région " + c->region);
  }
  if (region != log_region) {
    return Invalid("champ « region » : « " + region + " » dans le journal de la région " +
                   std::string(log_region));
  }
  if (c->latitude && c->longitude) {
    const GeoPoint position{j["latitude"].get<double>(), j["longitude"].get<double>()};
    if (auto far = DistanceBeyondCommune(c->department, c->position_source,
                                         {*c->latitude, *c->longitude}, position)) {
      return Invalid("champs « latitude »/« longitude » : " +
                     PositionFarMessage(*far, c->name, c->department, c->position_source));
    }
  }
  return Verdict::Ok();
}

}  // namespace

const std::vector<PayloadSchema>& PayloadSchemas() {
  static const std::vector<PayloadSchema> kSchemas = BuildSchemas();
  return kSchemas;
}

const PayloadSchema& PayloadSchemaFor(Operation operation, RecordKind kind) {
  for (const PayloadSchema& s : PayloadSchemas()) {
    if (s.operation != operation) continue;
    if (operation == Operation::kErase || s.kind == kind) return s;
  }
  throw std::logic_error("no payload schema for this operation and kind");
}

std::string_view TextSyntaxPattern(TextSyntax syntax) {
  // ECMA-262 (JSON Schema 2020-12 "pattern"), anchored. Hostname labels: 1..63 letters,
  // digits or hyphens, no hyphen at either end.
#define ESS_LABEL "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#define ESS_ATOM "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
  switch (syntax) {
    case TextSyntax::kNone: return "";
    case TextSyntax::kDate:
      return "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
             "(?:[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]{1,9})?"
             "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?$";
    case TextSyntax::kUuid: return "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    case TextSyntax::kSiret: return "^[0-9]{14}$";
    case TextSyntax::kEmail:
      return "^(?=[^@]{1,64}@)" ESS_ATOM "(?:\\." ESS_ATOM ")*@(?:" ESS_LABEL "\\.)+" ESS_LABEL "$";
    case TextSyntax::kUrl:
      return "^https?://(?:localhost|(?:" ESS_LABEL "\\.)+" ESS_LABEL
             ")(?::[0-9]{1,5})?"
             "(?:[/?#][^\\u0000-\\u0020\\u007f\"<>\\\\`]*)?$";
    case TextSyntax::kPhone: return "^\\+?[ .()-]*(?:[0-9][ .()-]*){6,15}$";
    case TextSyntax::kPostcode: return "^[0-9]{5}$";
    case TextSyntax::kVerifierKey: return "^[^+\\s]+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$";
    case TextSyntax::kCode: return "^[a-z0-9_]+$";
    case TextSyntax::kInseeCode: return "^(?:[0-9][0-9]|2[AB])[0-9]{0,3}$";
  }
#undef ESS_LABEL
#undef ESS_ATOM
  return "";
}

Verdict CheckPayloadFields(const PayloadSchema& schema, const json& payload) {
  if (!payload.is_object()) return Invalid("le contenu doit être un objet JSON");
  if (Verdict v = CheckObject(schema.fields, payload, ""); !v.ok()) return v;
  if (schema.inside_france) {
    const double latitude = payload["latitude"], longitude = payload["longitude"];
    if (!IsInFrance(latitude, longitude)) {
      return Invalid("coordonnées hors de France (" + payload["latitude"].dump() + ", " +
                     payload["longitude"].dump() + ")");
    }
  }
  return Verdict::Ok();
}

ParsedPayload PayloadChecker::Check(Operation operation, RecordKind kind,
                                    std::string_view log_region, std::string_view payload) const {
  if (payload.size() > kMaxPayloadSize) {
    return {Invalid("contenu de " + std::to_string(payload.size()) + " octets, maximum " +
                    std::to_string(kMaxPayloadSize)),
            nullptr};
  }
  json j = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded()) return {Invalid("contenu JSON illisible (ou UTF-8 invalide)"), nullptr};
  const PayloadSchema& schema = PayloadSchemaFor(operation, kind);
  if (Verdict v = CheckPayloadFields(schema, j); !v.ok()) return {std::move(v), nullptr};
  for (const FieldSpec& f : schema.fields) {
    if (auto it = j.find(f.name); it != j.end()) {
      if (Verdict v = CheckCodes(referential_, f, *it, f.name); !v.ok()) {
        return {std::move(v), nullptr};
      }
    }
  }
  if (schema.kind == RecordKind::kInitiative) {
    if (Verdict v = CheckInitiativeConsistency(referential_, j, log_region); !v.ok()) {
      return {std::move(v), nullptr};
    }
  }
  return {Verdict::Ok(), std::move(j)};
}

}  // namespace ess
