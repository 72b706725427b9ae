#include "node/service/committee_service.h"

#include <algorithm>
#include <span>

#include <nlohmann/json.hpp>

#include "core/field_rules.h"
#include "node/domain/changes_request.h"
#include "node/domain/charter.h"
#include "node/domain/committee_feasibility.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/entered_text.h"
#include "node/service/initiative_service.h"
#include "node/service/invitation_service.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/service/review.h"
#include "node/store/committee_store.h"
#include "node/store/initiative_store.h"
#include "node/store/region_rules_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

const Failure kNotFound = Failure::Of(FailureKind::kNotFound, "not_found", "Initiative introuvable.");

LogChange MembershipChange(const CommitteeMember& m) {
  return {Operation::kPut, RecordKind::kCommitteeMembership, *RecordIdFromString(m.member_id),
          json{{"member", m.member_id}, {"college", m.college}, {"role", m.role}, {"active", m.active}}.dump()};
}

// A text of `min`..`max` characters, the input's field `key`. With a `kind`, a free text
// that follows the text rule (ReadEnteredText: normalised, then checked); without one
// (email, password), taken as it is.
std::optional<Failure> ReadText(const std::optional<std::string>& value, const char* key,
                                std::size_t min, std::size_t max, std::string& out,
                                const char* label, std::optional<TextKind> kind = std::nullopt) {
  if (!value) {
    return Failure::Invalid("required", std::string("Le champ « ") + label + " » est obligatoire.", key);
  }
  out = *value;
  if (kind) {
    if (auto bad = ReadEnteredText(*value, *kind, key, label, out)) return bad;
  }
  auto length = Utf8Length(out);
  if (!length || *length < min || *length > max) {
    return Failure::Invalid("invalid_text", std::string("Le champ « ") + label + " » doit compter de " +
                                                std::to_string(min) + " à " + std::to_string(max) + " caractères.",
                            key);
  }
  return std::nullopt;
}

std::optional<Failure> CheckCollegeAndRole(const RegionRules& rules, const CommitteeMember& m) {
  if (std::find(rules.colleges.begin(), rules.colleges.end(), m.college) == rules.colleges.end()) {
    std::string list;
    for (const auto& c : rules.colleges) list += (list.empty() ? "" : ", ") + c;
    return Failure::Invalid("unknown_college", "Collège inconnu ; collèges de la région : " + list + ".", "college");
  }
  if (m.role != "member" && m.role != "chair") {
    return Failure::Invalid("invalid_role", "Rôle : « member » ou « chair ».", "role");
  }
  return std::nullopt;
}

Failure NotMember() {
  return Failure::Of(FailureKind::kForbidden, "forbidden", "Réservé aux membres actifs du comité.");
}

// The owner's link with the committee's request for changes (ChangesRequestedMail, kind
// "changes_requested"): the reasons of this round's votes for request_changes, as the
// owner's page shows them (changes_request.h).
void MailChangesRequested(pqxx::transaction_base& txn, const NodeContext& context,
                          const Initiative& initiative) {
  const std::vector<std::string> reasons =
      RequestChangesReasons(CommitteeStore(txn).Votes(initiative.id, initiative.review_round));
  IssueEditLinkWithMail(txn, context, initiative, "changes_requested",
                        [&](const std::string& link_placeholder, const std::string& expires_on) {
                          return ChangesRequestedMail(initiative.fields.name, reasons,
                                                      link_placeholder, expires_on);
                        });
}

// A decision on an edit proposal, applied to `initiative` (admitted, under review for it).
void ApplyProposalDecision(pqxx::transaction_base& txn, const NodeContext& context, Initiative& initiative,
                           const EditProposal& proposal, Decision decision, const RegionRules& rules,
                           const LogChange& decision_change, const std::string& reasons, UnixSeconds now) {
  InitiativeStore initiatives(txn);
  switch (decision) {
    case Decision::kAdmit:
      initiative = WithProposal(initiative, proposal);
      initiative.updated_at = now;
      Confirm(initiative, rules.freshness, now);  // the proposal now counts as confirming
      JournalInitiative(txn, context, initiative, {decision_change});
      initiatives.DeleteProposal(initiative.id);
      return;
    case Decision::kReject:
      initiatives.DeleteProposal(initiative.id);
      initiatives.Save(initiative, InitiativeSearchText(initiative, context));
      if (initiative.private_fields.contact_email) {
        initiatives.QueueMessage(initiative.id, *initiative.private_fields.contact_email,
                                 "Le comité n'a pas retenu votre modification",
                                 "Le comité d'éthique n'a pas retenu la modification proposée pour « " +
                                     initiative.fields.name + " ». La fiche publiée reste inchangée.\n" + reasons + "\n",
                                 now);
      }
      return;
    default:  // request_changes: back to its author, with the reasons of those who asked
      initiatives.SetProposalState(initiative.id, ProposalState::kChangesRequested);
      initiatives.Save(initiative, InitiativeSearchText(initiative, context));
      MailChangesRequested(txn, context, initiative);
      return;
  }
}

// A decision on the initiative itself (DecisionFor), journalled with its new revision. An
// edit proposal waiting for this review gets its own round if the initiative stays admitted,
// and is discarded otherwise.
void ApplyInitiativeDecision(pqxx::transaction_base& txn, const NodeContext& context,
                             Initiative& initiative, const DecisionEffect& effect,
                             const std::optional<EditProposal>& proposal,
                             const LogChange& decision_change, UnixSeconds now) {
  InitiativeStore initiatives(txn);
  initiative.status = effect.new_status;
  initiative.updated_at = now;
  JournalInitiative(txn, context, initiative, {decision_change});
  if (effect.decision == Decision::kRequestChanges) MailChangesRequested(txn, context, initiative);
  if (!proposal) return;
  if (initiative.status != InitiativeStatus::kAdmitted) {
    initiatives.DeleteProposal(initiative.id);
    initiatives.AddEvent(initiative.id, {now, "edit_proposal_discarded", "committee", "initiative plus admise"});
  } else if (proposal->state == ProposalState::kWaiting) {
    initiatives.SetProposalState(initiative.id, ProposalState::kUnderReview);
    OpenReview(txn, context, initiative, ReviewReason::kEditProposed, "committee",
               "modification proposée");
  }
}

}  // namespace

Result<CommitteeMember> CommitteeService::AddMember(const NewMember& input) {
  std::string name, email;
  if (auto bad = ReadText(input.name, "name", 2, 200, name, "nom", TextKind::kSingleLine))
    return *bad;
  if (auto bad = ReadText(input.email, "email", 3, 254, email, "courriel")) return *bad;
  CommitteeMember member{NewRecordIdText(), "", name, email, input.college, input.role, true};
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<CommitteeMember> {
    if (auto bad = CheckCollegeAndRole(CurrentRules(txn, context_.rules)->rules, member))
      return *bad;
    auto account = CreateInvitedAccount(txn, context_, email, name);
    if (!account.ok()) return account.failure();
    member.account_id = account.value().account_id;
    member.email = account.value().email;
    CommitteeStore(txn).InsertMember(member);
    InviteInTransaction(txn, context_, account.value());
    LogChange change = MembershipChange(member);
    context_.log_writer.Append(txn, std::span(&change, 1));
    return member;
  });
}

Result<CommitteeMember> CommitteeService::UpdateMember(const std::string& member_id,
                                                       const MemberChanges& changes) {
  if (!IsUuidText(member_id)) return Failure::Of(FailureKind::kNotFound, "not_found", "Membre introuvable.");
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<CommitteeMember> {
    // The rules' row first, as RegionRulesService::Update takes it: a member change and a
    // change of the rules are checked one after the other.
    auto stored_rules = RegionRulesStore(txn).Load(/*lock=*/true);
    CommitteeStore store(txn);
    auto member = store.Member(member_id);
    if (!member) return Failure::Of(FailureKind::kNotFound, "not_found", "Membre introuvable.");
    if (changes.college) member->college = *changes.college;
    if (changes.role) member->role = *changes.role;
    if (changes.active) member->active = *changes.active;
    const RegionRules& rules =
        stored_rules ? stored_rules->rules : CurrentRules(txn, context_.rules)->rules;
    if (auto bad = CheckCollegeAndRole(rules, *member)) return *bad;
    // The committee after the change must still have its chair, and still meet the rules
    // if it met them before (a committee still being named may stay below the quorum).
    const std::vector<CommitteeMember> before = store.Members();
    std::vector<CommitteeMember> after = before;
    for (auto& m : after) {
      if (m.member_id == member->member_id) m = *member;
    }
    const std::string field = changes.active && !*changes.active ? "active" : "role";
    if (auto bad = CheckChairKept(before, after, field)) return *bad;
    if (!CheckRulesMet(rules, before)) {
      if (auto bad = CheckRulesMet(rules, after)) {
        bad->message =
            "Ce changement rendrait les règles du comité impossibles à tenir. " + bad->message;
        bad->field = changes.active ? "active" : "college";
        return *bad;
      }
    }
    store.UpdateMember(*member);
    LogChange change = MembershipChange(*member);
    context_.log_writer.Append(txn, std::span(&change, 1));
    return *member;
  });
}

Result<CommitteeRoster> CommitteeService::Members() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    auto rules = CurrentRules(txn, context_.rules);
    return Result<CommitteeRoster>(CommitteeRoster{CommitteeStore(txn).Members(),
                                                   rules->rules.decision_rule,
                                                   rules->rules.colleges, rules->revision});
  });
}

Result<ReviewQueue> CommitteeService::Queue(const Principal& viewer) {
  const bool member = viewer.IsActiveMember();
  const std::string viewer_id = member ? viewer.member->member_id : "";
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    CommitteeStore store(txn);
    auto rules = CurrentRules(txn, context_.rules);
    auto charter = store.CurrentCharter();
    const UnixSeconds now = NowSeconds(context_.clock);
    ReviewQueue queue{{}, rules->rules.decision_rule, 0};
    for (const auto& m : store.Members()) queue.active_members += m.active ? 1 : 0;
    for (auto& q : store.Queue(charter ? charter->version : 0, 500, viewer_id)) {
      bool readhesion_due = charter && q.charter_version < charter->version &&
                            now >= charter->published_at + charter->readhesion_days * kSecondsPerDay;
      if (!q.under_review && !readhesion_due) continue;  // asked, still within the period
      const bool endorsed = q.endorsements >= rules->rules.endorsement_threshold;
      const int voters = std::max(0, queue.active_members - q.conflicts);
      // Votes are open under review, except while the owner revises (changes requested).
      const bool open = q.under_review && q.status != "changes_requested";
      const bool needs_my_vote = member && open && q.my_vote.empty() && !q.my_conflict;
      queue.items.push_back({std::move(q), endorsed, readhesion_due, voters, needs_my_vote});
    }
    return Result<ReviewQueue>(std::move(queue));
  });
}

Result<VoteOutcome> CommitteeService::Vote(const Principal& voter, const std::string& initiative_id,
                                           const VoteInput& input) {
  if (!voter.IsActiveMember()) return NotMember();
  if (!IsUuidText(initiative_id)) return kNotFound;
  std::optional<VoteChoice> choice;
  if (input.vote) choice = VoteChoiceFromName(*input.vote);
  if (!choice) {
    return Failure::Invalid("invalid_vote",
                            "Choisissez un vote : admettre, refuser, demander des modifications ou "
                            "s'abstenir.",
                            "vote");
  }
  std::string reason;
  if (auto bad = ReadText(input.reason, "reason", 3, 2000, reason, "motif", TextKind::kMultiLine))
    return *bad;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<VoteOutcome> {
    InitiativeStore initiatives(txn);
    CommitteeStore committee(txn);
    auto initiative = initiatives.Load(initiative_id, true);
    if (!initiative) return kNotFound;
    if (!initiative->under_review || initiative->status == InitiativeStatus::kChangesRequested) {
      return Failure::Of(FailureKind::kConflict, "not_under_review",
                         "Cette initiative n'est pas soumise au vote du comité.");
    }
    if (committee.HasConflict(initiative_id, voter.member->member_id)) {
      return Failure::Of(FailureKind::kForbidden, "conflict_of_interest",
                         "Vous avez déclaré un conflit d'intérêts : vous ne pouvez pas voter sur cette initiative.");
    }
    const UnixSeconds now = NowSeconds(context_.clock);
    CastVote vote{voter.member->member_id, voter.member->college, *choice, reason};
    if (!committee.InsertVote(initiative_id, initiative->review_round, vote, now)) {
      return Failure::Of(FailureKind::kConflict, "already_voted", "Vous avez déjà voté pour cet examen.");
    }
    initiatives.AddEvent(initiative_id, {now, "voted", voter.Actor(), std::string(VoteChoiceName(*choice))});
    auto votes = committee.Votes(initiative_id, initiative->review_round);
    auto rules = CurrentRules(txn, context_.rules);
    const DecisionRule& rule = rules->rules.decision_rule;
    VoteOutcome outcome;
    outcome.rule = ApplyDecisionRule(rule, votes);
    outcome.status = std::string(InitiativeStatusName(initiative->status));
    if (!outcome.rule.winner) return outcome;
    std::optional<EditProposal> proposal = initiatives.LoadProposal(initiative_id);
    const bool about_proposal = proposal &&
                                initiative->review_reason == ReviewReason::kEditProposed &&
                                initiative->status == InitiativeStatus::kAdmitted;
    auto effect = about_proposal ? DecisionForProposal(*outcome.rule.winner)
                                 : DecisionFor(initiative->status, *outcome.rule.winner);
    if (!effect) return outcome;

    std::string reasons = outcome.rule.explanation;
    for (const auto& v : votes) {
      if (v.choice == *outcome.rule.winner) reasons += "\n- " + v.reason;
    }
    // Only a decision that changes something public is journalled: on a proposal, admitting
    // it; rejecting it or sending it back leaves the admitted revision as it is.
    const bool journalled = !about_proposal || effect->decision == Decision::kAdmit;
    StoredDecision decision{NewRecordIdText(),
                            initiative_id,
                            static_cast<int>(initiative->record_version),
                            initiative->review_round,
                            std::string(DecisionName(effect->decision)),
                            reasons,
                            CastVotesJson(votes).dump(),
                            DecisionRuleJson(rule).dump(),
                            now,
                            about_proposal ? "edit_proposal" : "initiative",
                            journalled};
    // An admitted proposal was never journalled: the revision decided on is the one
    // journalled right after the decision.
    if (about_proposal) decision.initiative_version += 1;
    json payload = {
        {"initiative", initiative_id},     {"initiative_version", decision.initiative_version},
        {"decision", decision.decision},   {"reasons", reasons},
        {"votes", CastVotesJson(votes)},   {"rule", DecisionRuleJson(rule)},
        {"decided_at", FormatRfc3339(now)}};
    LogChange decision_change{Operation::kPut, RecordKind::kCommitteeDecision,
                              *RecordIdFromString(decision.decision_id), payload.dump()};
    initiative->under_review = false;
    if (about_proposal) {
      ApplyProposalDecision(txn, context_, *initiative, *proposal, effect->decision, rules->rules, decision_change,
                            reasons, now);
      committee.InsertDecision(decision);
      initiatives.AddEvent(initiative_id, {now, "proposal_decided", "committee", decision.decision});
      // The decision handled no report: reports that reached the threshold meanwhile open
      // their own review.
      OpenReportsReviewIfDue(txn, context_, *initiative, initiatives.OpenReportCount(initiative_id),
                             rules->rules.report_threshold, "committee");
    } else {
      committee.InsertDecision(decision);
      initiatives.MarkReportsHandled(initiative_id);
      initiatives.AddEvent(initiative_id, {now, "decided", "committee", decision.decision});
      ApplyInitiativeDecision(txn, context_, *initiative, *effect, proposal, decision_change, now);
    }
    outcome.decision = decision.decision;
    outcome.decision_id = decision.decision_id;
    outcome.subject = decision.subject;
    outcome.status = std::string(InitiativeStatusName(initiative->status));
    return outcome;
  });
}

Result<bool> CommitteeService::DeclareConflict(const Principal& member,
                                               const std::string& initiative_id,
                                               const std::optional<std::string>& reason_input) {
  if (!member.IsActiveMember()) return NotMember();
  if (!IsUuidText(initiative_id)) return kNotFound;
  std::string reason;
  if (auto bad = ReadText(reason_input, "reason", 3, 2000, reason, "motif", TextKind::kMultiLine))
    return *bad;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<bool> {
    InitiativeStore initiatives(txn);
    CommitteeStore committee(txn);
    auto initiative = initiatives.Load(initiative_id, true);
    if (!initiative) return kNotFound;
    for (const auto& v : committee.Votes(initiative_id, initiative->review_round)) {
      if (v.member == member.member->member_id) {
        return Failure::Of(FailureKind::kConflict, "already_voted",
                           "Vous avez déjà voté pour cet examen ; le conflit d'intérêts devait être déclaré avant.");
      }
    }
    if (!committee.InsertConflict(initiative_id, member.member->member_id, reason, NowSeconds(context_.clock))) {
      return Failure::Of(FailureKind::kConflict, "already_declared", "Conflit d'intérêts déjà déclaré.");
    }
    initiatives.AddEvent(initiative_id, {NowSeconds(context_.clock), "conflict_declared", member.Actor(), ""});
    return true;
  });
}

Result<bool> CommitteeService::OpenReview(const Principal& chair, const std::string& initiative_id,
                                          const std::optional<std::string>& reason_input) {
  if (!chair.IsChair()) {
    return Failure::Of(FailureKind::kForbidden, "forbidden", "Réservé à la présidence du comité.");
  }
  if (!IsUuidText(initiative_id)) return kNotFound;
  std::string reason;
  if (auto bad = ReadText(reason_input, "reason", 3, 2000, reason, "motif", TextKind::kMultiLine))
    return *bad;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<bool> {
    InitiativeStore initiatives(txn);
    auto initiative = initiatives.Load(initiative_id, true);
    if (!initiative) return kNotFound;
    if (initiative->under_review) {
      return Failure::Of(FailureKind::kConflict, "already_under_review", "Un examen est déjà en cours.");
    }
    if (initiative->status != InitiativeStatus::kAdmitted && initiative->status != InitiativeStatus::kSuspended) {
      return Failure::Of(FailureKind::kConflict, "not_reviewable",
                         "Seule une initiative admise ou suspendue peut être remise à l'examen.");
    }
    node::OpenReview(txn, context_, *initiative, ReviewReason::kChair, chair.Actor(), reason);
    return true;
  });
}

Result<std::optional<AdmittedRevision>> CommitteeService::LastAdmittedRevision(
    const std::string& initiative_id) {
  if (!IsUuidText(initiative_id)) return kNotFound;
  int admitted_number = 0;
  auto revision = context_.pool.WithTransaction([&](pqxx::work& txn) {
    auto last = node::LastAdmittedRevision(txn, context_.settings.region, initiative_id);
    if (last) {
      admitted_number = CommitteeStore(txn).AdmittedRevisionsUpTo(context_.settings.region,
                                                                  initiative_id, last->log_index);
    }
    return last;
  });
  if (!revision) return std::optional<AdmittedRevision>();
  auto referential = context_.referential.Get();
  const Commune* commune =
      referential ? referential->FindCommune(revision->payload.value("commune", "")) : nullptr;
  return std::optional<AdmittedRevision>(
      AdmittedRevision{std::move(*revision), commune ? commune->name : "", admitted_number});
}

Result<std::vector<InitiativeReport>> CommitteeService::Reports(const std::string& initiative_id) {
  if (!IsUuidText(initiative_id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return Result<std::vector<InitiativeReport>>(InitiativeReports(txn, initiative_id));
  });
}

Result<InitiativeHistory> CommitteeService::History(const std::string& initiative_id) {
  if (!IsUuidText(initiative_id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<InitiativeHistory> {
    InitiativeStore initiatives(txn);
    CommitteeStore committee(txn);
    auto initiative = initiatives.Load(initiative_id, false);
    if (!initiative) return kNotFound;
    return InitiativeHistory{initiative_id,
                             initiative->status,
                             initiative->review_round,
                             initiative->under_review,
                             committee.Votes(initiative_id, initiative->review_round),
                             committee.Conflicts(initiative_id),
                             committee.Decisions(initiative_id),
                             initiatives.Events(initiative_id)};
  });
}

}  // namespace ess::node
