#pragma once
// An initiative as the node holds it: the public fields (published on the map, journalled,
// replicated, exported), the private fields (never leave the node), its status in the
// committee workflow, its charter adherence and its freshness dates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/domain/time_format.h"

namespace ess::node {

enum class InitiativeStatus {
  kPending,           // submitted, awaiting the committee
  kChangesRequested,  // the committee asked the owner to change something
  kAdmitted,          // listed on the public map
  kRejected,
  kSuspended,         // charter breach: off the map until reinstated
  kWithdrawn,         // by its owner or the admin
};

// The protocol's names: "pending", "changes_requested", "admitted"...
std::string_view InitiativeStatusName(InitiativeStatus status);
std::optional<InitiativeStatus> InitiativeStatusFromName(std::string_view name);

// Why the committee's current review round was opened (initiative.review_reason).
enum class ReviewReason {
  kNone,          // no round opened yet (an initiative imported as admitted)
  kSubmission,    // a new initiative
  kChangesMade,   // edited after the committee asked for changes
  kEditProposed,  // an edit proposal of an admitted initiative (edit_proposal.h)
  kReports,       // open reports reached the region's threshold
  kChair,         // the chair put it back under review
  kImport,        // imported as pending
};

// The names stored and shown: "", "submission", "changes_made", "edit_proposed", "reports",
// "chair", "import".
std::string_view ReviewReasonName(ReviewReason reason);
std::optional<ReviewReason> ReviewReasonFromName(std::string_view name);

// An offer of products or services (the "BDIS PRO" module).
struct Offer {
  std::string title;
  std::string description;
  std::string conditions;  // supply conditions
  std::string lead_time;   // delivery lead time
  std::string guarantees;  // ethical guarantees
  bool operator==(const Offer&) const = default;
};

// What the owner or an admin enters; everything here is public.
struct InitiativeFields {
  std::string name;
  std::string family;      // referential code
  std::string legal_form;  // referential code, belongs to `family`
  std::vector<std::string> activities;
  std::string description;
  std::string address;
  std::string postcode;
  std::string commune;      // INSEE code
  std::string department;   // follows from the commune
  std::string region;       // follows from the commune; the node's region
  double latitude = 0;
  double longitude = 0;
  // "placed" (given by the registrant), "commune" (the commune's exact reference point) or
  // "approximate" (its approximated point): docs/decisions/0007-commune-positions.md.
  std::string location_precision = "placed";
  std::optional<std::string> email;    // public contact
  std::optional<std::string> phone;    // public contact
  std::optional<std::string> website;
  std::optional<std::string> siret;
  std::optional<bool> employer;  // unset: the registrant did not say ("non précisé")
  std::vector<Offer> offers;
  bool operator==(const InitiativeFields&) const = default;
};

// Personal data that never leaves the node: not journalled, not exported.
struct InitiativePrivateFields {
  std::optional<std::string> contact_name;
  std::optional<std::string> contact_email;  // where reminders and edit links go
  std::optional<std::string> contact_phone;  // e.g. a personal mobile
  bool operator==(const InitiativePrivateFields&) const = default;
};

struct Initiative {
  std::string id;  // UUID text; the record id of its log records
  InitiativeFields fields;
  InitiativePrivateFields private_fields;
  std::string commune_name;  // from the referential, for display and search
  InitiativeStatus status = InitiativeStatus::kPending;
  int charter_version = 0;  // 0: none adhered (e.g. imported)
  std::optional<UnixSeconds> charter_adhered_at;
  std::string charter_adhered_by;  // private: the person who adhered
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  UnixSeconds confirmed_at = 0;
  UnixSeconds valid_until = 0;  // past it: "to confirm"
  UnixSeconds hide_after = 0;   // past it: off the public map
  int review_round = 1;         // votes belong to a round; a new review starts a new one
  bool under_review = false;    // in the committee's queue, open for votes
  ReviewReason review_reason = ReviewReason::kNone;
  std::uint32_t record_version = 0;  // record version of its latest initiative revision
};

// Opens a new review round for `reason` (round + 1, under review). Pure: the caller saves.
void StartReviewRound(Initiative& initiative, ReviewReason reason);

}  // namespace ess::node
