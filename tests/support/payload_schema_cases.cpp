// Prints, as JSON, payloads with the verdict of the core payload check
// (core/payload_schema.h) against the real referential, for payload_schema_ajv_test (web
// side, ajv) to check that the published schemas agree with the code:
//   [{"name", "schema", "payload", "expect", "code_accepts", "code_reason", "schema_can_tell"}]
// The cases: every test-vector payload (accepted), and mutations of them that the code must
// refuse: each required field missing, each field of a wrong type or null (all generated
// from the field tables), and hand-written ones (bounds, syntax, enums, France, referential).
// `schema_can_tell` is false for a rule only the code checks (docs/schemas/README.md): the
// schema must then accept the payload. Exits 1 if a case's verdict is not the expected one.
#include <iostream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/payload_schema.h"
#include "tests/support/protocol_vectors.h"

namespace {

using ess::JsonType;
using nlohmann::json;

struct Case {
  std::string name;
  const ess::PayloadSchema* schema;
  json payload;
  bool expect_accepted;
  bool schema_can_tell = true;
};

json WrongType(JsonType type) {
  switch (type) {
    case JsonType::kString: return 42;
    case JsonType::kInteger: return "1";
    case JsonType::kNumber: return "1.5";
    case JsonType::kBoolean: return "true";
    case JsonType::kArray: return json{{"a", 1}};
    case JsonType::kObject: return json::array({1});
  }
  return nullptr;
}

}  // namespace

int main() {
  const ess::Referential referential = ess::Referential::FromFile(ESS_REFERENTIAL_FILE);
  const ess::PayloadChecker checker(referential);
  std::vector<Case> cases;
  std::map<std::string, json> base;  // a valid payload per schema id
  int n = 0;
  for (const auto& e : ess::test::ProtocolVectorEntries()) {
    const auto* schema = &ess::PayloadSchemaFor(e.operation, e.kind);
    json payload = json::parse(e.payload);
    cases.push_back({"vector entry " + std::to_string(n++), schema, payload, true});
    if (payload.value("status", "") != "pending" || !base.count(schema->id))
      base[schema->id] = payload;
  }
  for (const ess::PayloadSchema& schema : ess::PayloadSchemas()) {
    const json& valid = base.at(schema.id);
    for (const ess::FieldSpec& f : schema.fields) {
      json p = valid;
      if (f.required) {
        p.erase(f.name);
        cases.push_back({"missing " + f.name, &schema, p, false});
      }
      p = valid;
      p[f.name] = WrongType(f.type);
      cases.push_back({f.name + " of a wrong type", &schema, p, false});
      p[f.name] = nullptr;
      cases.push_back({f.name + " null", &schema, p, false});
    }
    json p = valid;
    p["not_in_the_table"] = {{"any", "thing"}};
    cases.push_back({"unknown field ignored", &schema, p, true});
  }
  const auto* initiative =
      &ess::PayloadSchemaFor(ess::Operation::kPut, ess::RecordKind::kInitiative);
  auto mutate = [&](const ess::PayloadSchema* schema, std::string name, json changes,
                    bool expect_accepted = false, bool schema_can_tell = true) {
    json p = base.at(schema->id);
    for (auto& [k, v] : changes.items()) p[k] = v;
    cases.push_back({std::move(name), schema, std::move(p), expect_accepted, schema_can_tell});
  };
  mutate(initiative, "name too long", {{"name", std::string(201, 'a')}});
  mutate(initiative, "name of 200 characters, accented",
         {{"name",
           [] {
             std::string s;
             for (int i = 0; i < 200; ++i) s += "é";
             return s;
           }()}},
         true);
  mutate(initiative, "name too short", {{"name", "É"}});
  mutate(initiative, "description too long", {{"description", std::string(5001, 'x')}});
  mutate(initiative, "out of France: Atlantic", {{"latitude", 48.8}, {"longitude", -30.0}});
  mutate(initiative, "out of France: east of Corsica", {{"latitude", 42.4}, {"longitude", 9.75}});
  // The schema's box takes Corsica's east edge with its margin; the code refuses it, hundreds
  // of kilometres from the base payload's commune (every commune has a position: decision 0007).
  mutate(initiative, "Corsica's east edge with margin, far from its commune",
         {{"latitude", 42.4}, {"longitude", 9.65}}, false, false);
  mutate(initiative, "location_precision approximate", {{"location_precision", "approximate"}},
         true);
  mutate(initiative, "location_precision unknown", {{"location_precision", "exact"}});
  // Aurons' point is approximated (its intercommunality): 50 + 60 km around it.
  mutate(
      initiative, "100 km from an approximated commune point (Aurons)",
      {{"commune", "13008"}, {"department", "13"}, {"latitude", 44.37446}, {"longitude", 5.35243}},
      true);
  mutate(
      initiative, "130 km from an approximated commune point (Aurons)",
      {{"commune", "13008"}, {"department", "13"}, {"latitude", 44.64427}, {"longitude", 5.35243}},
      false, false);
  mutate(initiative, "665 km from its commune (Marseille at Paris)",
         {{"latitude", 48.85341}, {"longitude", 2.3488}}, false, false);
  mutate(initiative, "name with a bidi override", {{"name", "Nom \u202e"}}, false, false);
  mutate(initiative, "out of France: 0, 0", {{"latitude", 0}, {"longitude", 0}});
  mutate(initiative, "latitude beyond 90", {{"latitude", 91}});
  mutate(initiative, "SIRET of 13 digits", {{"siret", "7328293200007"}});
  mutate(initiative, "SIRET with a letter", {{"siret", "7328293200007A"}});
  mutate(initiative, "SIRET with a wrong Luhn key", {{"siret", "73282932000075"}}, false, false);
  mutate(initiative, "La Poste SIRET", {{"siret", "35600000049837"}}, true);
  mutate(initiative, "unknown status", {{"status", "valid"}});
  mutate(initiative, "no activity", {{"activities", json::array()}});
  mutate(initiative, "11 activities", {{"activities", std::vector<std::string>(11, "energie")}});
  mutate(initiative, "duplicate activity", {{"activities", {"energie", "energie"}}});
  mutate(initiative, "activity not a code", {{"activities", {"Énergie"}}});
  mutate(initiative, "unknown activity", {{"activities", {"vol"}}}, false, false);
  mutate(initiative, "family that is a legal form", {{"family", "scic"}}, false, false);
  mutate(initiative, "legal form of another family", {{"legal_form", "scop"}}, false, false);
  mutate(initiative, "unknown commune", {{"commune", "99999"}}, false, false);
  mutate(initiative, "department not the commune's", {{"department", "06"}}, false, false);
  mutate(initiative, "commune of another region",
         {{"commune", "31555"}, {"department", "31"}, {"region", "76"}}, false, false);
  mutate(initiative, "date of no calendar", {{"valid_until", "2026-02-30T00:00:00Z"}}, false,
         false);
  mutate(initiative, "month 13", {{"valid_until", "2026-13-01T00:00:00Z"}});
  mutate(initiative, "date with a space", {{"updated_at", "2026-01-01 00:00:00Z"}});
  mutate(initiative, "date without zone", {{"updated_at", "2026-01-01T00:00:00"}});
  mutate(initiative, "full-date", {{"hide_after", "2027-01-01"}}, true);
  mutate(initiative, "email without a dot in the domain", {{"email", "contact@localhost"}});
  mutate(initiative, "email with a double dot", {{"email", "x..y@example.org"}});
  mutate(initiative, "email", {{"email", "marie.durand+ess@sub.domaine.fr"}}, true);
  mutate(initiative, "ftp URL", {{"website", "ftp://example.org"}});
  mutate(initiative, "URL with credentials", {{"website", "https://user:pw@example.org"}});
  mutate(initiative, "URL with a tag", {{"website", "https://example.org/<script>"}});
  mutate(initiative, "URL on localhost", {{"website", "http://localhost:8080/x?y=1#z"}}, true);
  mutate(initiative, "phone of 5 digits", {{"phone", "12345"}});
  mutate(initiative, "phone with letters", {{"phone", "04 91 AB 00 00"}});
  mutate(initiative, "phone", {{"phone", "+33 (0)6 12 34 56 78"}}, true);
  mutate(initiative, "postcode of 4 digits", {{"postcode", "1302"}});
  mutate(initiative, "offer without title", {{"offers", {{{"description", "x"}}}}});
  mutate(initiative, "offer with an empty title", {{"offers", {{{"title", ""}}}}});
  mutate(initiative, "21 offers", {{"offers", std::vector<json>(21, json{{"title", "x"}})}});
  mutate(initiative, "charter version 0", {{"charter_version", 0}});
  mutate(initiative, "charter version 2.0", {{"charter_version", 2.0}}, true);
  mutate(initiative, "charter version 1.5", {{"charter_version", 1.5}});
  mutate(initiative, "employer as a string", {{"employer", "oui"}});
  const auto* decision =
      &ess::PayloadSchemaFor(ess::Operation::kPut, ess::RecordKind::kCommitteeDecision);
  mutate(decision, "decision unknown", {{"decision", "maybe"}});
  mutate(decision, "initiative not a UUID", {{"initiative", "x"}});
  mutate(decision, "initiative in upper case",
         {{"initiative", "00000000-0000-4000-8000-00000000000A"}});
  mutate(decision, "initiative version 0", {{"initiative_version", 0}});
  mutate(decision, "vote unknown", {{"votes", {{{"vote", "yes"}}}}});
  mutate(decision, "vote without its choice",
         {{"votes", {{{"member", "00000000-0000-4000-8000-000000000002"}}}}});
  mutate(decision, "majority of 1",
         {{"rule", {{"quorum", 1}, {"majority", 1}, {"min_colleges", 1}}}});
  mutate(decision, "rule without quorum", {{"rule", {{"majority", 0.5}, {"min_colleges", 1}}}});
  const auto* charter =
      &ess::PayloadSchemaFor(ess::Operation::kPut, ess::RecordKind::kCharterVersion);
  mutate(charter, "version 0", {{"version", 0}});
  mutate(charter, "empty text", {{"text", ""}});
  mutate(charter, "negative re-adhesion delay", {{"readhesion_days", -1}});
  const auto* member =
      &ess::PayloadSchemaFor(ess::Operation::kPut, ess::RecordKind::kCommitteeMembership);
  mutate(member, "role unknown", {{"role", "boss"}});
  mutate(member, "member not a UUID", {{"member", "m1"}});
  mutate(member, "chair", {{"role", "chair"}, {"active", false}}, true);
  const auto* rotation =
      &ess::PayloadSchemaFor(ess::Operation::kPut, ess::RecordKind::kKeyRotation);
  mutate(rotation, "from index 0", {{"from_index", 0}});
  mutate(rotation, "next key not a key", {{"next_key", "abc"}});
  const auto* erase = &ess::PayloadSchemaFor(ess::Operation::kErase, ess::RecordKind::kInitiative);
  mutate(erase, "empty reason", {{"reason", ""}});
  mutate(erase, "reason too long", {{"reason", std::string(501, 'x')}});

  json out = json::array();
  bool all_as_expected = true;
  for (const Case& c : cases) {
    const ess::Operation op = c.schema->operation;
    const ess::RecordKind kind = c.schema->kind.value_or(ess::RecordKind::kInitiative);
    ess::ParsedPayload parsed =
        checker.Check(op, kind, ess::test::kVectorsRegion, c.payload.dump());
    if (parsed.verdict.ok() != c.expect_accepted) {
      std::cerr << c.schema->id << " / " << c.name << ": expected "
                << (c.expect_accepted ? "accepted" : "refused") << ", got "
                << (parsed.verdict.ok() ? "accepted" : parsed.verdict.reason) << "\n";
      all_as_expected = false;
    }
    out.push_back({{"name", c.name},
                   {"schema", c.schema->id},
                   {"payload", c.payload},
                   {"expect", c.expect_accepted ? "accepted" : "refused"},
                   {"code_accepts", parsed.verdict.ok()},
                   {"code_reason", parsed.verdict.reason},
                   {"schema_can_tell", c.schema_can_tell}});
  }
  std::cout << out.dump(1) << "\n";
  return all_as_expected ? 0 : 1;
}
