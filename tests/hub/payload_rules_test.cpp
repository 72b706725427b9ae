// The hub's payload rules (hub/domain/payload_rules.h) against the common referential.
#include <doctest/doctest.h>

#include "core/referential.h"
#include "hub/domain/payload_rules.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;

TEST_CASE("payload rules follow the protocol and the referential") {
  const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  hub::PayloadRules rules(referential);
  LogEntry initiative;
  initiative.region = "93";
  initiative.kind = RecordKind::kInitiative;
  auto check = [&](const std::string& payload) { return rules.Check(initiative, ToBytes(payload)); };
  CHECK(check(test::InitiativePayload("Épicerie", "admitted")).ok());
  auto with = [](nlohmann::json extra) {
    return test::InitiativePayload("Épicerie", "admitted", test::kMarseille, std::move(extra));
  };
  CHECK(check(with({{"unknown_field", 1}})).ok());  // forward compatibility
  CHECK(check(with({{"siret", "73282932000074"}})).ok());
  CHECK(check(with({{"siret", "35600000000048"}})).ok());  // La Poste, head office (Luhn)
  CHECK(check(with({{"siret", "35600000000010"}})).ok());  // La Poste, digit sum of 15
  CHECK(check(with({{"siret", "73282932000075"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"family", "inconnue"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"legal_form", "scop"}})).code == VerdictCode::kPayloadInvalid);  // not an association
  CHECK(check(with({{"activities", nlohmann::json::array()}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"activities", {"vol"}}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"department", "06"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(test::InitiativePayload("x", "admitted", test::kToulouse)).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"latitude", 48.8}, {"longitude", -30.0}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"latitude", "43.2"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"status", "valid"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"valid_until", "2026-02-30T00:00:00Z"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"email", 42}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"name", "É"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check("[1,2]").code == VerdictCode::kPayloadInvalid);
  CHECK(check("{").code == VerdictCode::kPayloadInvalid);
  CHECK(check(std::string("{\"name\":\"\xff\"}")).code == VerdictCode::kPayloadInvalid);

  LogEntry decision = initiative;
  decision.kind = RecordKind::kCommitteeDecision;
  const std::string decided = R"("initiative_version":1,"decided_at":"2026-01-01T00:00:00Z")";
  CHECK(
      rules
          .Check(
              decision,
              ToBytes(
                  R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"admit","votes":[{"vote":"abstain"}],)" +
                  decided + "}"))
          .ok());
  CHECK_FALSE(
      rules.Check(decision, ToBytes(R"({"initiative":"x","decision":"admit",)" + decided + "}"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(decision,
                 ToBytes(
                     R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"maybe",)" +
                     decided + "}"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(decision,
                 ToBytes(
                     R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"admit"})"))
          .ok());
  LogEntry charter = initiative;
  charter.kind = RecordKind::kCharterVersion;
  CHECK(rules.Check(charter, ToBytes(R"({"version":2,"text":"Charte","published_at":"2026-01-01T00:00:00Z"})")).ok());
  CHECK_FALSE(
      rules
          .Check(
              charter,
              ToBytes(R"({"version":"2","text":"Charte","published_at":"2026-01-01T00:00:00Z"})"))
          .ok());
  CHECK_FALSE(rules.Check(charter, ToBytes(R"({"version":2,"text":"Charte"})")).ok());
  LogEntry member = initiative;
  member.kind = RecordKind::kCommitteeMembership;
  CHECK(
      rules
          .Check(
              member,
              ToBytes(
                  R"({"member":"00000000-0000-4000-8000-000000000002","college":"usagers","role":"chair","active":true})"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(
              member,
              ToBytes(
                  R"({"member":"00000000-0000-4000-8000-000000000002","college":"usagers","role":"boss","active":true})"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(member,
                 ToBytes(R"({"member":"m1","college":"usagers","role":"chair","active":true})"))
          .ok());
  LogEntry erase = initiative;
  erase.operation = Operation::kErase;
  CHECK(rules.Check(erase, ToBytes(R"({"reason":"demande"})")).ok());
  CHECK_FALSE(rules.Check(erase, ToBytes(R"({"reason":3})")).ok());
}

TEST_CASE("the hub applies the node's text rule and position rule: the same core functions") {
  const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  hub::PayloadRules rules(referential);
  LogEntry initiative;
  initiative.region = "93";
  initiative.kind = RecordKind::kInitiative;
  auto with = [&](nlohmann::json extra) {
    return rules.Check(initiative,
                       ToBytes(test::InitiativePayload("Épicerie", "admitted", test::kMarseille,
                                                       std::move(extra))));
  };
  CHECK(with({{"description", "Ligne 1\n\tLigne 2"}}).ok());       // multi-line: LF and TAB
  CHECK(with({{"name", "Épicerie\xe2\x80\x8d du Panier"}}).ok());  // ZWJ kept
  for (const nlohmann::json& bad : {
           nlohmann::json{{"name", "Épicerie\nsolidaire"}},
           nlohmann::json{{"name", std::string("Hugo\0B", 6)}},
           nlohmann::json{{"name",
                           "Nom \xe2\x80\xae"
                           "edoc"}},
           nlohmann::json{{"name", " Épicerie"}},
           nlohmann::json{{"name", "Épicerie  solidaire"}},
           nlohmann::json{{"address",
                           "\xef\xbb\xbf"
                           "12 rue"}},
           nlohmann::json{{"description", "Ligne 1\r\nLigne 2"}},  // the node sends LF only
           nlohmann::json{{"offers", {{{"title", "Paniers\xe2\x81\xa6"}}}}},
       }) {
    CAPTURE(bad.dump());
    Verdict v = with(bad);
    CHECK(v.code == VerdictCode::kPayloadInvalid);
  }
  Verdict bidi = with({{"name",
                        "Nom \xe2\x80\xae"
                        "edoc"}});
  CHECK(bidi.reason.find("(U+202E)") != std::string::npos);

  // Marseille's reference point is 43.24963, 5.38048: Paris is 665 km away, 3 km is fine.
  Verdict paris = with({{"latitude", 48.85341}, {"longitude", 2.3488}});
  CHECK(paris.code == VerdictCode::kPayloadInvalid);
  CHECK(paris.reason.find("La position est à 665 km de la commune Marseille") != std::string::npos);
  CHECK(with({{"latitude", 43.27661}, {"longitude", 5.38048}}).ok());

  LogEntry decision = initiative;
  decision.kind = RecordKind::kCommitteeDecision;
  auto reasons = [&](const std::string& text) {
    nlohmann::json j = {{"initiative", "00000000-0000-4000-8000-000000000001"},
                        {"initiative_version", 1},
                        {"decision", "admit"},
                        {"reasons", text},
                        {"decided_at", "2026-01-01T00:00:00Z"}};
    return rules.Check(decision, ToBytes(j.dump()));
  };
  CHECK(reasons("3 votes sur 3\n- Charte respectée").ok());
  CHECK_FALSE(reasons("Charte \xe2\x81\xa6respectée").ok());
}

TEST_CASE("the hub reads location_precision and widens the radius of an approximated point") {
  const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  hub::PayloadRules rules(referential);
  const Commune* montfuron = referential.FindCommune("04128");
  REQUIRE(montfuron);
  REQUIRE(montfuron->approximate);  // the mean of its postcode's exact communes (decision 0007)
  REQUIRE(montfuron->position_source == "postcode");
  auto at = [&](double km_north, nlohmann::json extra = nlohmann::json::object()) {
    const test::TestPlace place{"04128", "04", "93", *montfuron->latitude + km_north / 111.195,
                                *montfuron->longitude};
    return ToBytes(test::InitiativePayload("Jardin partagé", "admitted", place, std::move(extra)));
  };
  hub::InitiativeRevision r;
  REQUIRE(rules.ParseInitiative(at(0, {{"location_precision", "approximate"}}), "93", r).ok());
  CHECK(r.location_precision == "approximate");
  hub::InitiativeRevision older;
  REQUIRE(rules.ParseInitiative(at(0), "93", older).ok());
  CHECK(older.location_precision == "placed");  // absent reads placed
  CHECK(rules.ParseInitiative(at(0, {{"location_precision", "exact"}}), "93", r).code ==
        VerdictCode::kPayloadInvalid);
  // 50 km + the postcode's 90 km of measured error.
  CHECK(rules.ParseInitiative(at(120), "93", r).ok());
  Verdict beyond = rules.ParseInitiative(at(160), "93", r);
  CHECK(beyond.code == VerdictCode::kPayloadInvalid);
  CHECK(beyond.reason.find("du point approché de la commune Montfuron") != std::string::npos);
  CHECK(beyond.reason.find("(au plus 140 km)") != std::string::npos);
}
