#pragma once
// An edit proposal: what the owner (or the admin) proposes for an initiative that the
// committee has admitted. The admitted revision stays live (public map, search, exports,
// journal) until the committee decides on the proposal:
//   - admit: the proposal becomes the initiative's fields, journalled as its new admitted
//     revision with the committee's decision;
//   - reject: the proposal is discarded, the admitted revision stays;
//   - request_changes: the proposal goes back to its author, who may revise it.
// A proposal is private to the node (it holds private fields too) and is never journalled.
// It exists only while the initiative is admitted: any decision or action that takes the
// initiative off the map (suspension, changes requested on the initiative itself,
// withdrawal) discards it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/initiative.h"
#include "node/domain/time_format.h"

namespace ess::node {

enum class ProposalState {
  kUnderReview,       // the initiative's current review round decides on it
  kWaiting,           // another review (reports, chair) is open; its turn comes after
  kChangesRequested,  // the committee sent it back to its author
};
std::string_view ProposalStateName(ProposalState state);  // "under_review", "waiting", "changes_requested"
std::optional<ProposalState> ProposalStateFromName(std::string_view name);

struct EditProposal {
  std::string initiative_id;
  InitiativeFields fields;
  InitiativePrivateFields private_fields;
  std::string commune_name;
  ProposalState state = ProposalState::kUnderReview;
  UnixSeconds proposed_at = 0;
  std::string proposed_by;  // "owner" or "admin:<email>"
};

// The initiative as it would be once the proposal is applied: fields, private fields and
// commune name from the proposal; status, dates and workflow state from `admitted`.
Initiative WithProposal(const Initiative& admitted, const EditProposal& proposal);

// Contact edits (issue 15, point 3). By a rule the region's admin sets
// (RegionRules::contact_edits_without_vote), an edit of an admitted initiative that changes
// only how to reach it is published at once, journalled like any change, instead of waiting
// for a committee vote as an edit proposal.
//
// The fields an edit changes, compared with `current`: the payload's names in the order of
// InitiativeFields ("name", "family", ..., "offers"), then "private.contact_name",
// "private.contact_email", "private.contact_phone". The commune's name follows the commune
// and is not compared; a coordinate that moves by at most 0.00001° (about a metre: the
// owner's page rounds a pin to 5 decimals) did not change.
std::vector<std::string> ChangedFields(const Initiative& current, const InitiativeFields& fields,
                                       const InitiativePrivateFields& private_fields);
// Contact fields say how to reach the initiative, not what it is: the public "email", "phone"
// and "website", and the private contact's name, email and phone. (The payload has no opening
// hours; docs/schemas/initiative-put.schema.json.)
bool IsContactField(std::string_view field);
// Whether an edit of an admitted initiative changing `changed` is published without a vote:
// the rule on, at least one field changed, and every changed field a contact field. An edit
// that changes nothing, or anything else, is an edit proposal as without the rule.
bool PublishedWithoutVote(const std::vector<std::string>& changed, bool contact_edits_without_vote);
// How the record's history names a changed field, in French: "téléphone", "site web",
// "courriel du contact"...; the field's name itself for one that has no label here.
std::string ChangedFieldLabel(std::string_view field);

// The stored forms of the fields (jsonb columns of edit_proposal). FieldsFromJson reads
// what FieldsJson wrote; unknown keys are ignored, missing optional ones are absent.
nlohmann::json FieldsJson(const InitiativeFields& fields);
InitiativeFields FieldsFromJson(const nlohmann::json& json);
nlohmann::json PrivateFieldsJson(const InitiativePrivateFields& fields);
InitiativePrivateFields PrivateFieldsFromJson(const nlohmann::json& json);

}  // namespace ess::node
