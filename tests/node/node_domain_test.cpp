// The node's domain rules, without database or sockets.
#include <doctest/doctest.h>

#include "node/domain/charter.h"
#include "node/domain/csv.h"
#include "node/domain/decision_rule.h"
#include "node/domain/field_rules.h"
#include "node/domain/freshness.h"
#include "node/domain/time_format.h"

using namespace ess::node;

TEST_CASE("SIRET: 14 digits, Luhn key, La Poste exception") {
  CHECK(IsValidSiret("73282932000074"));
  CHECK(IsValidSiret("44306184100047"));
  CHECK_FALSE(IsValidSiret("73282932000075"));  // wrong key
  CHECK_FALSE(IsValidSiret("7328293200007"));   // 13 digits
  CHECK_FALSE(IsValidSiret("7328293200007A"));
  CHECK_FALSE(IsValidSiret(""));
  CHECK(IsValidSiret("35600000000048"));  // La Poste's head office follows Luhn
  CHECK(IsValidSiret("35600000049837"));  // a La Poste establishment: digits sum to 45
  CHECK_FALSE(IsValidSiret("35600000049838"));
  CHECK(NormalizeSiret("732 829 320 00074") == "73282932000074");
}

TEST_CASE("email, URL, phone and postcode syntax") {
  CHECK(IsValidEmail("contact@epicerie.example"));
  CHECK(IsValidEmail("marie.durand+ess@sub.domaine.fr"));
  CHECK_FALSE(IsValidEmail("contact@localhost"));
  CHECK_FALSE(IsValidEmail("contact.epicerie.example"));
  CHECK_FALSE(IsValidEmail("a b@example.org"));
  CHECK_FALSE(IsValidEmail("x@-bad.example"));
  CHECK_FALSE(IsValidEmail("x..y@example.org"));
  CHECK(IsValidUrl("https://epicerie.example/chemin?x=1"));
  CHECK(IsValidUrl("http://localhost:8080/"));
  CHECK_FALSE(IsValidUrl("javascript:alert(1)"));
  CHECK_FALSE(IsValidUrl("ftp://example.org"));
  CHECK_FALSE(IsValidUrl("https://exa mple.org"));
  CHECK_FALSE(IsValidUrl("https://user:pw@example.org"));
  CHECK_FALSE(IsValidUrl("https://example.org/<script>"));
  CHECK(IsValidPhone("04 91 00 00 00"));
  CHECK(IsValidPhone("+33 (0)6 12 34 56 78"));
  CHECK_FALSE(IsValidPhone("12345"));
  CHECK_FALSE(IsValidPhone("04 91 AB 00 00"));
  CHECK(IsValidPostcode("13002"));
  CHECK_FALSE(IsValidPostcode("1302"));
}

TEST_CASE("coordinates inside France, overseas regions included") {
  CHECK(IsInFrance(43.2965, 5.3698));     // Marseille
  CHECK(IsInFrance(42.7, 9.45));          // Bastia
  CHECK(IsInFrance(-20.8821, 55.4507));   // Saint-Denis de La Réunion
  CHECK(IsInFrance(16.2411, -61.5331));   // Pointe-à-Pitre
  CHECK(IsInFrance(4.9372, -52.326));     // Cayenne
  CHECK(IsInFrance(-12.7806, 45.2278));   // Mamoudzou
  CHECK(IsInFrance(14.6161, -61.0588));   // Fort-de-France
  CHECK_FALSE(IsInFrance(40.4168, -3.7038));  // Madrid
  CHECK_FALSE(IsInFrance(0, 0));
  CHECK(ZoneOfRegion("93") == FranceZone::kMetropole);
  CHECK(ZoneOfRegion("04") == FranceZone::kReunion);
  CHECK_FALSE(IsInZone(FranceZone::kReunion, 43.2965, 5.3698));
}

TEST_CASE("UTF-8 length counts code points and refuses invalid text") {
  CHECK(Utf8Length("Épicerie") == 8u);
  CHECK_FALSE(Utf8Length("\xC3"));
  CHECK_FALSE(Utf8Length("\xFF\xFE"));
}

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

TEST_CASE("CSV: quotes, separators, line ends, formula guard") {
  auto t = ParseCsv("\xEF\xBB\xBFnom;ville\r\n\"Épicerie \"\"du\"\" Panier\";Marseille\n\n\"a;b\nc\";x\n", ';');
  REQUIRE(t.error.empty());
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0] == CsvRow{"nom", "ville"});
  CHECK(t.rows[1] == CsvRow{"Épicerie \"du\" Panier", "Marseille"});
  CHECK(t.rows[2] == CsvRow{"a;b\nc", "x"});
  CHECK_FALSE(ParseCsv("\"open\n").error.empty());
  CHECK(CsvField("=SUM(A1)") == "'=SUM(A1)");
  CHECK(CsvField("-5.30000") == "-5.30000");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvLine({"x", "y\"z"}) == "x,\"y\"\"z\"\r\n");
}
