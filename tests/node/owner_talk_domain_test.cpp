// The pure parts of issue 15, point 3: which fields an edit changes and whether they are all
// contact fields (the rule that publishes them without a vote), the reasons of a request for
// changes read from the votes, and the rule's place in the region's rules (JSON round trip,
// the history's field, stored forms written before the rule existed).
#include <doctest/doctest.h>

#include "node/domain/changes_request.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/region_rules.h"

using namespace ess::node;
using Fields = std::vector<std::string>;

namespace {

Initiative Sample() {
  Initiative i;
  i.fields.name = "Épicerie solidaire du Panier";
  i.fields.description = "Une épicerie solidaire.";
  i.fields.commune = "13055";
  i.fields.phone = "04 91 00 00 00";
  i.fields.email = "contact@epicerie.example";
  i.private_fields.contact_name = "Marie Durand";
  return i;
}

}  // namespace

TEST_CASE("ChangedFields names what differs, in the payload's order, private fields last") {
  const Initiative current = Sample();
  CHECK(ChangedFields(current, current.fields, current.private_fields).empty());

  InitiativeFields f = current.fields;
  InitiativePrivateFields p = current.private_fields;
  f.phone = "04 91 11 22 33";
  f.website = "https://epicerie.example";  // was unset
  p.contact_email = "marie@perso.example";
  CHECK(ChangedFields(current, f, p) == Fields{"phone", "website", "private.contact_email"});

  // A pin rounded to 5 decimals by the owner's page is where it was.
  Initiative placed = current;
  placed.fields.latitude = 43.2990012;
  placed.fields.longitude = 5.3690049;
  f = placed.fields;
  f.latitude = 43.29900;
  f.longitude = 5.36900;
  CHECK(ChangedFields(placed, f, placed.private_fields).empty());
  f.longitude = 5.36902;
  CHECK(ChangedFields(placed, f, placed.private_fields) == Fields{"longitude"});

  f = current.fields;
  f.email.reset();  // removing a contact is a change of that field
  f.description += " Ouverte le samedi.";
  f.latitude = 43.3;
  f.employer = false;
  f.offers.push_back({"Paniers", "", "", "", ""});
  CHECK(ChangedFields(current, f, current.private_fields) ==
        Fields{"description", "latitude", "email", "employer", "offers"});
}

TEST_CASE("PublishedWithoutVote: the rule on and only contact fields changed") {
  for (const char* f : {"email", "phone", "website", "private.contact_name",
                        "private.contact_email", "private.contact_phone"}) {
    CHECK(IsContactField(f));
  }
  for (const char* f :
       {"name", "description", "address", "commune", "latitude", "siret", "offers", "private"}) {
    CHECK(!IsContactField(f));
  }
  CHECK(PublishedWithoutVote({"phone"}, true));
  CHECK(PublishedWithoutVote({"phone", "website", "private.contact_email"}, true));
  CHECK(!PublishedWithoutVote({"phone"}, false));
  CHECK(!PublishedWithoutVote({"phone", "description"}, true));
  CHECK(!PublishedWithoutVote({}, true));  // nothing changed: as without the rule
  CHECK(ChangedFieldLabel("phone") == "téléphone");
  CHECK(ChangedFieldLabel("private.contact_email") == "courriel du contact");
}

TEST_CASE(
    "RequestChangesReasons: the words of the votes for request_changes, in order, nothing else") {
  const std::vector<CastVote> votes = {
      {"m1", "usagers", VoteChoice::kRequestChanges, "Précisez les horaires."},
      {"m2", "pairs", VoteChoice::kAdmit, "Conforme."},
      {"m3", "pairs", VoteChoice::kRequestChanges, "Le site ne répond pas."}};
  const Fields expected = {"Précisez les horaires.", "Le site ne répond pas."};
  CHECK(RequestChangesReasons(votes) == expected);
  CHECK(RequestChangesReasons(CastVotesJson(votes)) == expected);
  nlohmann::json odd = CastVotesJson(votes);
  odd.push_back(42);
  odd.push_back({{"vote", "request_changes"}});
  odd.push_back({{"vote", "request_changes"}, {"reason", 3}});
  CHECK(RequestChangesReasons(odd) == expected);
  CHECK(RequestChangesReasons(nlohmann::json::object()).empty());
}

TEST_CASE(
    "the contact rule in the region's rules: JSON round trip, history field, older stored forms") {
  RegionRules rules;
  CHECK(!rules.contact_edits_without_vote);  // off by default
  rules.contact_edits_without_vote = true;
  nlohmann::json j = RegionRulesJson(rules);
  CHECK(j["contact_edits_without_vote"] == true);
  auto back = RegionRulesFromJson(j);
  REQUIRE(back.ok());
  CHECK(back.value().contact_edits_without_vote);
  CHECK(RegionRulesChanges(rules, back.value()).empty());

  auto changes = RegionRulesChanges(RegionRules{}, rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "contact_edits_without_vote");
  CHECK(changes[0].before == RegionRuleValue(false));
  CHECK(changes[0].after == RegionRuleValue(true));
  CHECK(RegionRulesChanges(std::nullopt, rules).back().field == "contact_edits_without_vote");

  // A form stored before the rule existed reads with the rule off.
  j.erase("contact_edits_without_vote");
  auto older = RegionRulesFromJson(j);
  REQUIRE(older.ok());
  CHECK(!older.value().contact_edits_without_vote);
  j["contact_edits_without_vote"] = nullptr;
  CHECK(RegionRulesFromJson(j).ok());
  j["contact_edits_without_vote"] = 1;
  auto typed = RegionRulesFromJson(j);
  REQUIRE(!typed.ok());
  CHECK(typed.failure().code == "invalid_type");
  CHECK(typed.failure().field == "contact_edits_without_vote");
}
