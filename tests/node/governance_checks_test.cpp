// The governance safeguards as pure checks (issue 15, point 5): rules the committee cannot
// meet (node/domain/committee_feasibility.h), the last chair, and a charter's publication
// (node/domain/charter.h).
#include <doctest/doctest.h>

#include "node/domain/charter.h"
#include "node/domain/committee_feasibility.h"

using namespace ess::node;

namespace {

CommitteeMember Member(const std::string& name, const std::string& college,
                       const std::string& role = "member", bool active = true) {
  return {"id-" + name, "account-" + name, name, name + "@example.org", college, role, active};
}

RegionRules Rules(int quorum, int min_colleges,
                  std::vector<std::string> colleges = {"usagers", "pairs", "partenaires"}) {
  RegionRules r;
  r.decision_rule = {quorum, 0.5, min_colleges};
  r.colleges = std::move(colleges);
  return r;
}

const std::vector<CommitteeMember> kThree = {Member("Alice", "usagers"), Member("Bruno", "usagers"),
                                             Member("Chloé", "pairs", "chair")};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("rules the committee can meet pass") {
  CHECK_FALSE(CheckRulesMet(Rules(3, 2), kThree));
  CHECK_FALSE(CheckRulesMet(Rules(1, 1), kThree));
}

TEST_CASE("a quorum above the active members is refused on the quorum, saying how many there are") {
  auto bad = CheckRulesMet(Rules(4, 2), kThree);
  REQUIRE(bad);
  CHECK(bad->code == "quorum_unreachable");
  CHECK(bad->field == "decision_rule.quorum");
  CHECK(Has(bad->message, "(4 votes)"));
  CHECK(Has(bad->message, "(3)"));
  // An inactive member does not vote.
  auto members = kThree;
  members[0].active = false;
  auto inactive = CheckRulesMet(Rules(3, 2), members);
  REQUIRE(inactive);
  CHECK(inactive->code == "quorum_unreachable");
  // No member yet: nothing can be decided.
  CHECK(CheckRulesMet(Rules(1, 1), {}));
}

TEST_CASE("more colleges required than colleges with an active member is refused on min_colleges") {
  auto bad = CheckRulesMet(Rules(3, 3), kThree);
  REQUIRE(bad);
  CHECK(bad->code == "colleges_unreachable");
  CHECK(bad->field == "decision_rule.min_colleges");
  CHECK(Has(bad->message, "(2)"));
  // The only member of « pairs » inactive: one college left.
  auto members = kThree;
  members.push_back(Member("Dana", "usagers"));
  members[2].active = false;
  auto one = CheckRulesMet(Rules(3, 2), members);
  REQUIRE(one);
  CHECK(one->field == "decision_rule.min_colleges");
}

TEST_CASE("a college removed while active members belong to it is refused, naming them") {
  auto bad = CheckRulesMet(Rules(2, 1, {"usagers", "partenaires"}), kThree);
  REQUIRE(bad);
  CHECK(bad->code == "college_in_use");
  CHECK(bad->field == "colleges");
  CHECK(Has(bad->message, "Chloé (pairs)"));
  CHECK_FALSE(Has(bad->message, "Alice"));
  // An inactive member does not hold a college.
  auto members = kThree;
  members.push_back(Member("Eve", "partenaires", "member", false));
  CHECK_FALSE(CheckRulesMet(Rules(3, 2, {"usagers", "pairs"}), members));
}

TEST_CASE("the last active chair can be neither demoted nor deactivated") {
  auto demoted = kThree;
  demoted[2].role = "member";
  auto bad = CheckChairKept(kThree, demoted, "role");
  REQUIRE(bad);
  CHECK(bad->code == "last_chair");
  CHECK(bad->field == "role");
  auto deactivated = kThree;
  deactivated[2].active = false;
  CHECK(CheckChairKept(kThree, deactivated, "active"));
  // Another chair named first: then the first may step down.
  auto two = kThree;
  two[0].role = "chair";
  auto after = two;
  after[2].role = "member";
  CHECK_FALSE(CheckChairKept(two, after, "role"));
  // A committee without a chair yet is not held to one.
  std::vector<CommitteeMember> none = {Member("Alice", "usagers")};
  CHECK_FALSE(CheckChairKept(none, none, "role"));
}

TEST_CASE("a charter's new version must differ from the one in force") {
  CharterVersion current{3, "id", "Charte v3", 0, 90};
  auto bad = CheckCharterChanged("Charte v3", current);
  REQUIRE(bad);
  CHECK(bad->code == "unchanged");
  CHECK(bad->field == "text");
  CHECK(Has(bad->message, "version 3"));
  CHECK_FALSE(CheckCharterChanged("Charte v4", current));
  CHECK_FALSE(CheckCharterChanged("Charte v3", std::nullopt));
}

TEST_CASE("a publication needs the count of listings to re-adhere the admin confirmed") {
  CHECK_FALSE(CheckPublicationConfirmed(std::nullopt, 0, /*has_current=*/false));
  auto missing = CheckPublicationConfirmed(std::nullopt, 4, true);
  REQUIRE(missing);
  CHECK(missing->code == "confirmation_required");
  CHECK(missing->kind == FailureKind::kInvalid);
  CHECK(missing->field == "confirm_listings");
  auto changed = CheckPublicationConfirmed(3, 4, true);
  REQUIRE(changed);
  CHECK(changed->code == "readhesion_count_changed");
  CHECK(changed->kind == FailureKind::kConflict);
  CHECK(Has(changed->message, "3 confirmées, 4 maintenant"));
  CHECK_FALSE(CheckPublicationConfirmed(4, 4, true));
  CHECK_FALSE(CheckPublicationConfirmed(0, 0, true));
}
