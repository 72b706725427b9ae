// The node's domain rules, without database or sockets.
#include <doctest/doctest.h>

#include <limits>

#include "node/domain/charter.h"
#include "node/domain/decision_rule.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/freshness.h"
#include "node/domain/import_report.h"
#include "node/domain/initiative_validation.h"
#include "node/domain/region_communes.h"
#include "node/domain/region_rules.h"
#include "node/domain/region_rules_holder.h"
#include "node/domain/time_format.h"

using namespace ess::node;

TEST_CASE("decision rule: quorum, colleges, majority") {
  DecisionRule rule{3, 0.5, 2};
  std::vector<CastVote> votes = {{"a", "usagers", VoteChoice::kAdmit, "ok"},
                                 {"b", "usagers", VoteChoice::kAdmit, "ok"}};
  CHECK_FALSE(ApplyDecisionRule(rule, votes).winner);  // quorum
  votes.push_back({"c", "usagers", VoteChoice::kAdmit, "ok"});
  auto one_college = ApplyDecisionRule(rule, votes);
  CHECK_FALSE(one_college.winner);  // one college only
  CHECK(one_college.explanation.find("Collèges") != std::string::npos);
  votes.push_back({"d", "pairs", VoteChoice::kReject, "non"});
  CHECK(ApplyDecisionRule(rule, votes).winner == VoteChoice::kAdmit);  // 3/4 > 0.5
  // Abstentions count for the quorum, not for the majority.
  std::vector<CastVote> split = {{"a", "usagers", VoteChoice::kAdmit, ""},
                                 {"b", "pairs", VoteChoice::kReject, ""},
                                 {"c", "pairs", VoteChoice::kAbstain, ""}};
  CHECK_FALSE(ApplyDecisionRule(rule, split).winner);  // 1 of 2 is not more than half
  split.push_back({"d", "usagers", VoteChoice::kReject, ""});
  CHECK(ApplyDecisionRule(rule, split).winner == VoteChoice::kReject);
  DecisionRule two_thirds{3, 0.66, 1};
  std::vector<CastVote> votes3 = {{"a", "x", VoteChoice::kAdmit, ""}, {"b", "x", VoteChoice::kAdmit, ""},
                                  {"c", "x", VoteChoice::kReject, ""}};
  CHECK(ApplyDecisionRule(two_thirds, votes3).winner == VoteChoice::kAdmit);  // 2/3 > 0.66
  DecisionRule three_quarters{3, 0.75, 1};
  CHECK_FALSE(ApplyDecisionRule(three_quarters, votes3).winner);
  CHECK(CheckDecisionRule({0, 0.5, 1}));
  CHECK(CheckDecisionRule({3, 0.4, 1}));
  CHECK(CheckDecisionRule({3, 0.5, 4}));
  CHECK_FALSE(CheckDecisionRule({3, 0.5, 2}));
}

TEST_CASE("what a winning option decides depends on the status") {
  using S = InitiativeStatus;
  CHECK(DecisionFor(S::kPending, VoteChoice::kAdmit)->decision == Decision::kAdmit);
  CHECK(DecisionFor(S::kPending, VoteChoice::kReject)->new_status == S::kRejected);
  CHECK(DecisionFor(S::kPending, VoteChoice::kRequestChanges)->new_status == S::kChangesRequested);
  CHECK(DecisionFor(S::kAdmitted, VoteChoice::kReject)->decision == Decision::kSuspend);
  CHECK(DecisionFor(S::kSuspended, VoteChoice::kAdmit)->decision == Decision::kReinstate);
  CHECK(DecisionFor(S::kSuspended, VoteChoice::kAdmit)->new_status == S::kAdmitted);
  CHECK_FALSE(DecisionFor(S::kWithdrawn, VoteChoice::kAdmit));
  CHECK_FALSE(DecisionFor(S::kRejected, VoteChoice::kAdmit));
}

TEST_CASE("freshness: fresh, to confirm past valid_until, hidden past the grace period") {
  Initiative i;
  FreshnessPolicy policy{365, 60, 30};
  Confirm(i, policy, 1'000'000);
  CHECK(i.valid_until == 1'000'000 + 365 * kSecondsPerDay);
  CHECK(i.hide_after == i.valid_until + 60 * kSecondsPerDay);
  CHECK(FreshnessAt(i, i.valid_until - 1) == Freshness::kFresh);
  CHECK(FreshnessAt(i, i.valid_until) == Freshness::kToConfirm);
  CHECK(FreshnessAt(i, i.hide_after) == Freshness::kHidden);
  CHECK_FALSE(ReminderDue(i, policy, i.valid_until - 31 * kSecondsPerDay, std::nullopt));
  CHECK(ReminderDue(i, policy, i.valid_until - 30 * kSecondsPerDay, std::nullopt));
  CHECK_FALSE(ReminderDue(i, policy, i.valid_until, i.valid_until));  // already sent
}

TEST_CASE("charter: re-adhesion asked, then due after the period") {
  CharterVersion v2{2, "id", "texte", 1'000'000, 30};
  Initiative i;
  i.status = InitiativeStatus::kAdmitted;
  i.charter_version = 1;
  CHECK(ReadhesionAsked(i, v2));
  CHECK_FALSE(ReadhesionDue(i, v2, 1'000'000 + 29 * kSecondsPerDay));
  CHECK(ReadhesionDue(i, v2, 1'000'000 + 30 * kSecondsPerDay));
  i.charter_version = 2;
  CHECK_FALSE(ReadhesionAsked(i, v2));
  i.charter_version = 1;
  i.status = InitiativeStatus::kWithdrawn;
  CHECK_FALSE(ReadhesionAsked(i, v2));
  CHECK(CheckCharterDraft("", 30));
  CHECK(CheckCharterDraft("texte", 0));
  CHECK_FALSE(CheckCharterDraft("texte", 30));
}

TEST_CASE("RFC 3339 dates") {
  CHECK(FormatRfc3339(1'767'225'600) == "2026-01-01T00:00:00Z");
  CHECK(ParseRfc3339("2026-01-01T00:00:00Z") == 1'767'225'600);
  CHECK_FALSE(ParseRfc3339("2026-02-30T00:00:00Z"));
  CHECK_FALSE(ParseRfc3339("2026-01-01 00:00:00"));
}

TEST_CASE("decisions on an edit proposal: the initiative stays admitted whatever wins") {
  CHECK(DecisionForProposal(VoteChoice::kAdmit)->decision == Decision::kAdmit);
  CHECK(DecisionForProposal(VoteChoice::kReject)->decision == Decision::kReject);
  CHECK(DecisionForProposal(VoteChoice::kRequestChanges)->decision == Decision::kRequestChanges);
  for (auto v : {VoteChoice::kAdmit, VoteChoice::kReject, VoteChoice::kRequestChanges}) {
    CHECK(DecisionForProposal(v)->new_status == InitiativeStatus::kAdmitted);
  }
  CHECK_FALSE(DecisionForProposal(VoteChoice::kAbstain));
}

TEST_CASE("edit proposal: fields stored and read back, applied over the admitted initiative") {
  InitiativeFields f;
  f.name = "Épicerie";
  f.family = "association";
  f.legal_form = "association_loi_1901";
  f.activities = {"alimentation", "insertion"};
  f.commune = "13055";
  f.department = "13";
  f.region = "93";
  f.latitude = 43.299;
  f.longitude = 5.369;
  f.website = "https://epicerie.example";
  f.employer = true;
  f.offers = {{"Paniers", "", "", "48 h", ""}};
  CHECK(FieldsFromJson(FieldsJson(f)) == f);
  InitiativePrivateFields p{"Marie", std::nullopt, "06 12 34 56 78"};
  CHECK(PrivateFieldsFromJson(PrivateFieldsJson(p)) == p);

  Initiative admitted;
  admitted.status = InitiativeStatus::kAdmitted;
  admitted.confirmed_at = 42;
  EditProposal proposal{"id", f, p, "Marseille", ProposalState::kWaiting, 7, "owner"};
  Initiative applied = WithProposal(admitted, proposal);
  CHECK(applied.fields == f);
  CHECK(applied.private_fields == p);
  CHECK(applied.commune_name == "Marseille");
  CHECK(applied.status == InitiativeStatus::kAdmitted);
  CHECK(applied.confirmed_at == 42);
  for (auto s : {ProposalState::kUnderReview, ProposalState::kWaiting, ProposalState::kChangesRequested}) {
    CHECK(ProposalStateFromName(ProposalStateName(s)) == s);
  }
}

TEST_CASE("region rules: checks with the field at fault, JSON both ways, changes field by field") {
  RegionRules rules;
  CHECK_FALSE(CheckRegionRules(rules));
  auto field_of = [](RegionRules r) { return CheckRegionRules(r).value_or(Failure{}).field; };
  RegionRules r = rules;
  r.decision_rule.quorum = 0;
  CHECK(field_of(r) == "decision_rule.quorum");
  r = rules;
  r.decision_rule.majority = 1.0;
  CHECK(field_of(r) == "decision_rule.majority");
  r = rules;
  r.colleges = {"a"};
  CHECK(field_of(r) == "decision_rule.min_colleges");  // 2 colleges required, 1 exists
  r = rules;
  r.freshness.reminder_days = r.freshness.validity_days + 1;
  CHECK(field_of(r) == "freshness.reminder_days");
  r = rules;
  r.colleges.push_back(std::string(61, 'x'));
  CHECK(field_of(r) == "colleges[6]");

  auto back = RegionRulesFromJson(RegionRulesJson(rules));
  REQUIRE(back.ok());
  CHECK(RegionRulesChanges(rules, back.value()).empty());
  RegionRules next = rules;
  next.decision_rule.quorum = 4;
  next.endorsement_threshold = 9;
  auto changes = RegionRulesChanges(rules, next);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].field == "decision_rule.quorum");
  CHECK(changes[0].before == RegionRuleValue(3));
  CHECK(changes[0].after == RegionRuleValue(4));
  CHECK(changes[1].field == "endorsement_threshold");
  // The seed: every field, none with a value before (grace and reminder 0 included).
  RegionRules seed = rules;
  seed.freshness.grace_days = 0;
  seed.freshness.reminder_days = 0;
  auto seeded = RegionRulesChanges(std::nullopt, seed);
  REQUIRE(seeded.size() == 10);
  CHECK(seeded[5].field == "freshness.grace_days");
  CHECK(!seeded[5].before);
  CHECK(seeded[5].after == RegionRuleValue(0));
  auto unknown = RegionRulesFromJson(nlohmann::json{{"region", "93"}});
  CHECK(unknown.failure().code == "unknown_field");
  auto ignored = RegionRulesFromJson([&] {
    auto j = RegionRulesJson(rules);
    j["region"] = "93";
    return j;
  }(), {"region"});
  CHECK(ignored.ok());

  RegionRulesHolder holder(rules);
  CHECK(holder.Get()->revision == 0);
  holder.Replace(std::make_shared<const RegionRulesSnapshot>(RegionRulesSnapshot{next, 3}));
  holder.Replace(std::make_shared<const RegionRulesSnapshot>(RegionRulesSnapshot{rules, 2}));  // older: ignored
  CHECK(holder.Get()->revision == 3);
  CHECK(holder.Get()->rules.decision_rule.quorum == 4);
}

TEST_CASE("region communes: folding for search, the region's communes as one types") {
  CHECK(FoldForSearch("Saint-Étienne-du-Grès") == "saint etienne du gres");
  CHECK(FoldForSearch("  L'Œuvre  ÇA ") == "l oeuvre ca");
  CHECK(FoldForSearch("Èze") == "eze");
  CHECK(FoldForSearch("---") == "");
  CHECK(FoldForSearch("L\xE2\x80\x99Isle") == "l isle");  // typographic apostrophe
  CHECK(FoldForSearch("a\xC3") == "a");                    // a cut sequence is skipped
  CHECK(FoldForSearch("\xFF\xFE" "b") == "b");
  const std::string document = R"({"version": "test-1",
    "families": [{"code": "association", "label": "Association"}],
    "legal_forms": [], "activities": [], "regions": [{"code": "93", "name": "PACA"}], "departments": [],
    "communes": [
      {"code": "13055", "name": "Marseille", "department": "13", "region": "93", "postcodes": ["13001", "13002"]},
      {"code": "83119", "name": "Saint-Tropez", "department": "83", "region": "93", "postcodes": ["83990"]},
      {"code": "06059", "name": "Èze", "department": "06", "region": "93", "postcodes": ["06360"]},
      {"code": "13056", "name": "Martigues", "department": "13", "region": "93", "postcodes": ["13500"]},
      {"code": "75056", "name": "Paris", "department": "75", "region": "11", "postcodes": ["75001"]}]})";
  ess::Referential referential = ess::Referential::FromJson(document);
  RegionCommunes communes = RegionCommunes::Of(referential, "93");
  CHECK(communes.size() == 4);
  auto names = [&](std::string_view q, std::size_t limit = 10) {
    std::vector<std::string> out;
    for (const auto* c : communes.Search(q, limit)) out.push_back(c->name);
    return out;
  };
  CHECK(names("mar") == std::vector<std::string>{"Marseille", "Martigues"});
  CHECK(names("MAR", 1) == std::vector<std::string>{"Marseille"});
  CHECK(names("eze") == std::vector<std::string>{"Èze"});
  CHECK(names("tropez") == std::vector<std::string>{"Saint-Tropez"});
  CHECK(names("saint trop") == std::vector<std::string>{"Saint-Tropez"});
  CHECK(names("paris").empty());  // another region
  CHECK(names("1300") == std::vector<std::string>{"Marseille"});  // postcode
  CHECK(names("0605") == std::vector<std::string>{"Èze"});        // INSEE code
  CHECK(names("  ").empty());
  CHECK(communes.Find("83119")->name == "Saint-Tropez");
  CHECK_FALSE(communes.Find("75056"));
}

TEST_CASE("initiative draft: the rules on typed values, whatever the entry path") {
  const ess::Referential referential = ess::Referential::FromJson(R"({"version": "test-1",
    "families": [{"code": "association", "label": "Association"}],
    "legal_forms": [{"code": "association_loi_1901", "label": "Loi 1901", "family": "association"}],
    "activities": [{"code": "alimentation", "label": "Alimentation"}],
    "regions": [{"code": "93", "name": "PACA"}], "departments": [],
    "communes": [{"code": "13055", "name": "Marseille", "department": "13", "region": "93",
                  "postcodes": ["13002"], "latitude": 43.29695, "longitude": 5.38107}]})");
  InitiativeDraft draft;
  draft.name = "  Épicerie solidaire  ";
  draft.family = "association";
  draft.legal_form = "association_loi_1901";
  draft.activities = std::vector<std::string>{"alimentation"};
  draft.commune = "13055";
  draft.email = "   ";  // blank: absent
  draft.private_fields.contact_email = "marie@perso.example";
  auto valid = ValidateInitiativeInput(draft, referential, "93");
  REQUIRE(valid.ok());
  CHECK(valid.value().fields.name == "Épicerie solidaire");
  CHECK_FALSE(valid.value().fields.email);
  CHECK(valid.value().fields.latitude == 43.29695);  // the commune's
  CHECK(valid.value().fields.department == "13");
  CHECK(valid.value().commune_name == "Marseille");
  CHECK(valid.value().private_fields.contact_email == "marie@perso.example");
  // A CSV cell reading "nan" is not a coordinate.
  InitiativeDraft nan = draft;
  nan.latitude = std::numeric_limits<double>::quiet_NaN();
  nan.longitude = 5.4;
  auto refused = ValidateInitiativeInput(nan, referential, "93");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.failure().code == "invalid_type");
  CHECK(refused.failure().field == "latitude");
  InitiativeDraft offer = draft;
  offer.offers.push_back({std::nullopt, "sans titre", std::nullopt, std::nullopt, std::nullopt});
  auto untitled = ValidateInitiativeInput(offer, referential, "93");
  REQUIRE_FALSE(untitled.ok());
  CHECK(untitled.failure().field == "offers[0].title");
  CHECK(untitled.failure().message == "Le champ « Intitulé (offre 1) » est obligatoire.");
  InitiativeDraft unnamed = draft;
  unnamed.name.reset();
  CHECK(ValidateInitiativeInput(unnamed, referential, "93").failure().code == "required");
}

TEST_CASE("import report: JSON both ways, the count imported from the ids") {
  ImportReport report;
  report.rows = 3;
  report.valid = 2;
  report.errors = {{2, 3, "siret", "SIRET", "invalid_siret", "Numéro SIRET invalide."}};
  report.error_count = 1;
  report.ids = {"6f1c2d3e-0000-4000-8000-000000000001"};
  const nlohmann::json j = ImportReportJson(report);
  CHECK(j["imported"] == 1);
  CHECK(j["dry_run"] == false);
  CHECK(j["errors"][0] == nlohmann::json{{"row", 2},
                                         {"line", 3},
                                         {"field", "siret"},
                                         {"column", "SIRET"},
                                         {"code", "invalid_siret"},
                                         {"message", "Numéro SIRET invalide."}});
  CHECK(ImportReportFromJson(j) == report);
}
