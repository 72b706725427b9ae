#include "node/service/initiative_service.h"

#include <algorithm>
#include <span>

#include <nlohmann/json.hpp>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "core/field_rules.h"
#include "core/log_store.h"
#include "core/secret_token.h"
#include "node/domain/charter.h"
#include "node/domain/entered_text.h"
#include "node/domain/initiative_validation.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/service/review.h"
#include "node/service/sealed_link.h"
#include "node/store/committee_store.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

const Failure kNotFound = Failure::Of(FailureKind::kNotFound, "not_found", "Initiative introuvable.");
const Failure kErased = Failure::Of(FailureKind::kGone, "erased", "Cette initiative a été effacée.");

// The initiative `id`, locked for this transaction, for its owner or the admin to change:
// `not_found`, `erased` once its data was erased, `not_editable` with `refusal` once it is
// rejected or withdrawn.
Result<Initiative> LoadEditable(InitiativeStore& store, const std::string& id, const char* refusal) {
  auto initiative = store.Load(id, true);
  if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
  if (initiative->status == InitiativeStatus::kRejected || initiative->status == InitiativeStatus::kWithdrawn) {
    return Failure::Of(FailureKind::kConflict, "not_editable", refusal);
  }
  return std::move(*initiative);
}

Failure NoReferential() {
  return Failure::Of(FailureKind::kUnavailable, "no_referential",
                     "Le référentiel commun n'est pas encore chargé sur ce nœud.");
}

// Reads "adhered_by": the person adhering, 2..200 characters; messages name the field as
// the registration and edit pages label it.
std::optional<Failure> ReadAdheredBy(const std::optional<std::string>& value,
                                     const std::string& field, std::string& out) {
  static const std::string kLabel = "Nom de la personne qui engage l'initiative";
  if (!value)
    return Failure::Invalid("required", "Le champ « " + kLabel + " » est obligatoire.", field);
  if (auto bad = ReadEnteredText(*value, TextKind::kSingleLine, field, kLabel, out)) return bad;
  auto length = Utf8Length(out);
  if (*length < 2 || *length > 200) {
    return Failure::Invalid(
        "invalid_text", "Le champ « " + kLabel + " » doit compter de 2 à 200 caractères.", field);
  }
  return std::nullopt;
}

std::optional<Failure> CheckCharterVersion(const std::optional<int>& value,
                                           const std::optional<CharterVersion>& current,
                                           const std::string& field) {
  if (!current) {
    return Failure::Of(FailureKind::kConflict, "no_charter", "La charte régionale n'est pas encore publiée.");
  }
  if (!value) {
    return Failure::Invalid("required", "Indiquez la version de la charte à laquelle vous adhérez.", field);
  }
  if (*value != current->version) {
    Failure f = Failure::Of(FailureKind::kConflict, "charter_outdated",
                            "La version en vigueur de la charte est la " + std::to_string(current->version) + ".");
    f.field = field;
    return f;
  }
  return std::nullopt;
}

std::string EditUrl(const NodeContext& context, const std::string& id, const std::string& token) {
  return context.settings.public_url + "/modifier/" + id + "#jeton=" + token;
}

constexpr const char* kVisitorMarkSecret = "visitor_mark";

void ApplyInput(Initiative& initiative, InitiativeInput input) {
  initiative.fields = std::move(input.fields);
  initiative.private_fields = std::move(input.private_fields);
  initiative.commune_name = std::move(input.commune_name);
}

// The committee's request for changes standing on `initiative`: its last request_changes
// decision on the record (status changes_requested) or on its edit proposal (sent back).
std::optional<ChangesRequest> StandingChangesRequest(CommitteeStore& committee,
                                                     const Initiative& initiative,
                                                     const std::optional<EditProposal>& proposal) {
  std::string subject;
  if (initiative.status == InitiativeStatus::kChangesRequested) {
    subject = "initiative";
  } else if (proposal && proposal->state == ProposalState::kChangesRequested) {
    subject = "edit_proposal";
  } else {
    return std::nullopt;
  }
  const std::vector<StoredDecision> decisions = committee.Decisions(initiative.id);  // oldest first
  const std::string request(DecisionName(Decision::kRequestChanges));
  for (auto d = decisions.rbegin(); d != decisions.rend(); ++d) {
    if (d->decision != request || d->subject != subject) continue;
    return ChangesRequest{
        subject, d->decided_at,
        RequestChangesReasons(nlohmann::json::parse(d->votes_json, nullptr, false))};
  }
  return std::nullopt;
}

// Publishes an edit of admitted `initiative` that changes only its contact fields
// (`changed`), by the region's rule: the fields replaced and journalled, the record
// confirmed; an earlier proposal it replaces is discarded, with the review round it had
// opened. Returns the edit event's detail (the fields' labels, no values: some are private).
std::string PublishContactEdit(pqxx::transaction_base& txn, const NodeContext& context,
                               InitiativeStore& store, Initiative& initiative,
                               InitiativeInput input, const std::vector<std::string>& changed,
                               const std::string& actor, UnixSeconds now) {
  ApplyInput(initiative, std::move(input));
  initiative.updated_at = now;
  Confirm(initiative, CurrentRules(txn, context.rules)->rules.freshness, now);
  if (store.DeleteProposal(initiative.id)) {
    if (initiative.under_review && initiative.review_reason == ReviewReason::kEditProposed) {
      initiative.under_review = false;
    }
    store.AddEvent(initiative.id,
                   {now, "edit_proposal_discarded", actor,
                    "remplacée par une modification des coordonnées publiée sans vote"});
  }
  JournalInitiative(txn, context, initiative);
  std::string detail = "coordonnées publiées sans vote du comité (règle de la région) :";
  for (std::size_t i = 0; i < changed.size(); ++i)
    detail += (i ? ", " : " ") + ChangedFieldLabel(changed[i]);
  return detail;
}

// An edit's event; for an edit on the owner's behalf, with its reason, and the owner told
// (when the record has a contact e-mail) in the same transaction.
void RecordEdit(InitiativeStore& store, const NodeContext& context, const Initiative& initiative,
                InitiativeEvent event, const std::optional<OnBehalf>& on_behalf) {
  if (on_behalf) {
    const std::string said = "au nom du porteur, motif : " + on_behalf->reason;
    event.detail = event.detail.empty() ? said : event.detail + " ; " + said;
  }
  store.AddEvent(initiative.id, event);
  if (!on_behalf || !initiative.private_fields.contact_email) return;
  const std::string url = initiative.status == InitiativeStatus::kAdmitted
                              ? context.settings.public_url + "/initiative.html?id=" + initiative.id
                              : context.settings.public_url + "/";
  MailText mail =
      EditedOnYourBehalfMail(initiative.fields.name, on_behalf->editor, on_behalf->reason, url);
  OutboxMessage message;
  message.initiative_id = initiative.id;
  message.recipient = *initiative.private_fields.contact_email;
  message.subject = std::move(mail.subject);
  message.body = std::move(mail.body);
  message.created_at = event.at;
  message.kind = "edited_on_behalf";
  store.QueueMessage(message);
}

// The freshness reminder (ReminderMail, kind "reminder") with a link that lasts at least
// until the record leaves the map, remembered as sent for its valid_until; `actor` queued it.
void QueueReminder(pqxx::transaction_base& txn, const NodeContext& context,
                   const Initiative& initiative, const FreshnessPolicy& policy, UnixSeconds now,
                   const std::string& actor) {
  const std::string valid_until = MailDate(initiative.valid_until);
  IssueEditLinkWithMail(
      txn, context, initiative, "reminder",
      [&](const std::string& placeholder, const std::string& expires) {
        return ReminderMail(initiative.fields.name, valid_until, placeholder, expires);
      },
      initiative.hide_after + policy.grace_days * kSecondsPerDay);
  InitiativeStore store(txn);
  store.SetReminderSentFor(initiative.id, initiative.valid_until);
  store.AddEvent(initiative.id,
                 {now, "reminder_queued", actor, FormatRfc3339(initiative.valid_until)});
}

}  // namespace

IssuedEditLink IssueEditLinkWithMail(pqxx::transaction_base& txn, const NodeContext& context,
                                     const Initiative& initiative, const std::string& kind,
                                     const LinkMailComposer& compose,
                                     std::optional<UnixSeconds> valid_at_least_until) {
  const UnixSeconds now = NowSeconds(context.clock);
  IssuedEditLink link{NewSecretToken(), now + context.settings.edit_link_days * kSecondsPerDay};
  if (valid_at_least_until) link.expires_at = std::max(link.expires_at, *valid_at_least_until);
  InitiativeStore store(txn);
  store.InsertEditLink(SecretTokenHash(link.token), initiative.id, now, link.expires_at);
  if (initiative.private_fields.contact_email) {
    MailText mail = compose(std::string(kMaskedLink), MailDate(link.expires_at));
    OutboxMessage message{
        0,
        initiative.id,
        *initiative.private_fields.contact_email,
        std::move(mail.subject),
        std::move(mail.body),
        now,
        SealLink(store.NodeSecret(kOutboxLinkSecret), EditUrl(context, initiative.id, link.token))};
    message.kind = kind;
    store.QueueMessage(message);
  }
  return link;
}

IssuedEditLink IssueEditLinkInTransaction(pqxx::transaction_base& txn, const NodeContext& context,
                                          const Initiative& initiative, const std::string& subject,
                                          const std::string& message,
                                          std::optional<UnixSeconds> valid_at_least_until) {
  return IssueEditLinkWithMail(
      txn, context, initiative, "notice",
      [&](const std::string& link_placeholder, const std::string& expires_on) {
        return MailText{subject, message + "\n\nVotre lien privé (valable jusqu'au " + expires_on +
                                     ") :\n" + link_placeholder + "\n"};
      },
      valid_at_least_until);
}

std::int64_t ParticipationPeriod(UnixSeconds now, int period_days) {
  const std::int64_t length = std::int64_t{period_days} * kSecondsPerDay;
  return now >= 0 ? now / length : -((-now + length - 1) / length);
}

Hash VisitorMark(const Hash& key, std::string_view kind, const std::string& initiative_id,
                 const std::string& client_address, std::int64_t period) {
  std::string message = "ess-node/visitor-mark/v1";
  for (std::string_view part :
       {kind, std::string_view(initiative_id), std::string_view(client_address)}) {
    message += '\0';
    message += part;
  }
  message += '\0' + std::to_string(period);
  Hash mark;
  crypto_generichash(mark.data(), mark.size(),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     key.data(), key.size());
  return mark;
}

Result<SubmittedInitiative> InitiativeService::Submit(const InitiativeSubmission& submission) {
  auto referential = context_.referential.Get();
  if (!referential) return NoReferential();
  auto validated =
      ValidateInitiativeInput(submission.initiative, *referential, context_.settings.region);
  // The adherence's errors join the record's: the form shows them all at once.
  std::vector<FieldError> errors;
  if (!validated.ok()) errors = validated.failure().errors;
  std::string adhered_by;
  if (!submission.charter) {
    errors.push_back(
        {"charter_required",
         "Cochez la case d'adhésion à la charte : l'adhésion explicite est obligatoire.",
         "charter"});
  } else if (auto bad =
                 ReadAdheredBy(submission.charter->adhered_by, "charter.adhered_by", adhered_by)) {
    errors.push_back({bad->code, bad->message, bad->field});
  }
  if (!errors.empty()) return Failure::OfFieldErrors(std::move(errors));
  const Adherence& adherence = *submission.charter;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<SubmittedInitiative> {
    auto current = CommitteeStore(txn).CurrentCharter();
    if (auto bad = CheckCharterVersion(adherence.charter_version, current, "charter.version")) {
      return *bad;
    }
    const UnixSeconds now = NowSeconds(context_.clock);
    Initiative initiative;
    initiative.id = NewRecordIdText();
    ApplyInput(initiative, validated.value());
    initiative.status = InitiativeStatus::kPending;
    initiative.charter_version = current->version;
    initiative.charter_adhered_at = now;
    initiative.charter_adhered_by = adhered_by;
    initiative.created_at = initiative.updated_at = now;
    Confirm(initiative, CurrentRules(txn, context_.rules)->rules.freshness, now);
    initiative.review_round = 0;
    StartReviewRound(initiative, ReviewReason::kSubmission);  // round 1
    JournalInitiative(txn, context_, initiative);
    InitiativeStore(txn).AddEvent(initiative.id, {now, "submitted", "owner", ""});
    auto link = IssueEditLinkWithMail(
        txn, context_, initiative, "registration",
        [&](const std::string& placeholder, const std::string& expires) {
          return RegistrationMail(initiative.fields.name, placeholder, expires);
        });
    return SubmittedInitiative{initiative, link.token};
  });
}

Result<InitiativeView> InitiativeService::GetFull(const std::string& id) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<InitiativeView> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, false);
    if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
    const UnixSeconds now = NowSeconds(context_.clock);
    InitiativeView view{*initiative, FreshnessAt(*initiative, now), store.EndorsementCount(id),
                        store.OpenReportCount(id), false, store.LoadProposal(id)};
    CommitteeStore committee(txn);
    if (auto current = committee.CurrentCharter()) {
      view.readhesion_due = ReadhesionDue(*initiative, *current, now);
    }
    view.changes_requested = StandingChangesRequest(committee, *initiative, view.proposal);
    view.contact_edits_without_vote =
        CurrentRules(txn, context_.rules)->rules.contact_edits_without_vote;
    return view;
  });
}

Result<InitiativeView> InitiativeService::GetPublic(const std::string& id) {
  auto view = GetFull(id);
  if (!view.ok()) return view;
  if (view.value().initiative.status != InitiativeStatus::kAdmitted ||
      view.value().freshness == Freshness::kHidden) {
    return kNotFound;
  }
  return view;
}

std::optional<Failure> InitiativeService::CheckEditToken(const std::string& id,
                                                         const std::optional<std::string>& token) {
  if (!token || token->empty()) {
    return Failure::Of(FailureKind::kUnauthorized, "edit_token_required", "Lien de modification requis.");
  }
  const Failure invalid = Failure::Of(FailureKind::kUnauthorized, "edit_token_invalid",
                                      "Ce lien de modification n'est pas valide ou a été révoqué.");
  if (!IsWellFormedSecretToken(*token)) return invalid;
  auto link = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return InitiativeStore(txn).FindEditLink(SecretTokenHash(*token));
  });
  if (!link || link->revoked) return invalid;
  if (link->expires_at <= NowSeconds(context_.clock)) {
    return Failure::Of(FailureKind::kUnauthorized, "edit_token_expired",
                       "Ce lien de modification a expiré ; demandez-en un nouveau.");
  }
  if (link->initiative_id != id) {
    return Failure::Of(FailureKind::kForbidden, "edit_token_mismatch",
                       "Ce lien de modification ne concerne pas cette initiative.");
  }
  return std::nullopt;
}

Result<EditOutcome> InitiativeService::Edit(const std::string& id, const InitiativeDraft& draft,
                                            const std::string& actor,
                                            const std::optional<OnBehalf>& on_behalf) {
  auto referential = context_.referential.Get();
  if (!referential) return NoReferential();
  if (!IsUuidText(id)) return kNotFound;
  auto validated = ValidateInitiativeInput(draft, *referential, context_.settings.region);
  if (!validated.ok()) return validated.failure();
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<EditOutcome> {
    InitiativeStore store(txn);
    auto loaded = LoadEditable(store, id, "Une initiative refusée ou retirée ne peut plus être modifiée.");
    if (!loaded.ok()) return loaded.failure();
    Initiative* initiative = &loaded.value();
    const UnixSeconds now = NowSeconds(context_.clock);
    if (initiative->status == InitiativeStatus::kAdmitted) {
      InitiativeInput& in = validated.value();
      std::vector<std::string> changed = ChangedFields(*initiative, in.fields, in.private_fields);
      if (PublishedWithoutVote(
              changed, CurrentRules(txn, context_.rules)->rules.contact_edits_without_vote)) {
        const std::string detail = PublishContactEdit(txn, context_, store, *initiative,
                                                      std::move(in), changed, actor, now);
        RecordEdit(store, context_, *initiative, {now, "edited", actor, detail}, on_behalf);
        return EditOutcome{*initiative, std::nullopt, std::move(changed)};
      }
      // The admitted revision stays live: the edit waits for the committee as a proposal.
      EditProposal proposal{id, std::move(in.fields), std::move(in.private_fields), std::move(in.commune_name),
                            ProposalState::kUnderReview, now, actor};
      std::string detail;
      if (!initiative->under_review) {
        StartReviewRound(*initiative, ReviewReason::kEditProposed);
        detail = "soumise au comité";
      } else if (initiative->review_reason == ReviewReason::kEditProposed) {
        // Votes cast were on the earlier proposal: the committee votes again, in a new round.
        StartReviewRound(*initiative, ReviewReason::kEditProposed);
        detail = "remplace la proposition en cours d'examen (nouveau tour de vote)";
      } else {
        proposal.state = ProposalState::kWaiting;
        detail = "en attente de la fin de l'examen en cours";
      }
      store.SaveProposal(proposal);
      store.Save(*initiative, InitiativeSearchText(*initiative, context_));
      RecordEdit(store, context_, *initiative, {now, "edit_proposed", actor, detail}, on_behalf);
      return EditOutcome{*initiative, std::move(proposal)};
    }
    ApplyInput(*initiative, validated.value());
    initiative->updated_at = now;
    Confirm(*initiative, CurrentRules(txn, context_.rules)->rules.freshness, now);
    std::string detail;
    if (initiative->status == InitiativeStatus::kChangesRequested) {
      initiative->status = InitiativeStatus::kPending;
      StartReviewRound(*initiative, ReviewReason::kChangesMade);
      detail = "renvoyée au comité";
    }
    JournalInitiative(txn, context_, *initiative);
    RecordEdit(store, context_, *initiative, {now, "edited", actor, detail}, on_behalf);
    return EditOutcome{*initiative, std::nullopt};
  });
}

Result<Initiative> InitiativeService::ConfirmCurrent(const std::string& id, const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<Initiative> {
    InitiativeStore store(txn);
    auto loaded = LoadEditable(store, id, "Une initiative refusée ou retirée ne peut pas être confirmée.");
    if (!loaded.ok()) return loaded.failure();
    Initiative* initiative = &loaded.value();
    const UnixSeconds now = NowSeconds(context_.clock);
    Confirm(*initiative, CurrentRules(txn, context_.rules)->rules.freshness, now);
    JournalInitiative(txn, context_, *initiative);
    store.AddEvent(id, {now, "confirmed", actor, "valide jusqu'au " + FormatRfc3339(initiative->valid_until)});
    return *initiative;
  });
}

Result<Initiative> InitiativeService::Adhere(const std::string& id, const Adherence& input,
                                             const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  std::string adhered_by;
  if (auto bad = ReadAdheredBy(input.adhered_by, "adhered_by", adhered_by)) return *bad;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<Initiative> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, true);
    if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
    auto current = CommitteeStore(txn).CurrentCharter();
    if (auto bad = CheckCharterVersion(input.charter_version, current, "charter_version")) {
      return *bad;
    }
    if (initiative->charter_version == current->version) {
      return Failure::Of(FailureKind::kConflict, "already_adhered",
                         "Cette initiative adhère déjà à la version en vigueur de la charte.");
    }
    if (!ReadhesionAsked(*initiative, *current)) {
      return Failure::Of(FailureKind::kConflict, "not_editable", "Cette initiative n'est plus dans le parcours.");
    }
    const UnixSeconds now = NowSeconds(context_.clock);
    initiative->charter_version = current->version;
    initiative->charter_adhered_at = now;
    initiative->charter_adhered_by = adhered_by;
    initiative->updated_at = now;
    JournalInitiative(txn, context_, *initiative);
    store.AddEvent(id, {now, "adhered", actor, "charte v" + std::to_string(current->version)});
    return *initiative;
  });
}

Result<Initiative> InitiativeService::Withdraw(const std::string& id, const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<Initiative> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, true);
    if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
    if (initiative->status == InitiativeStatus::kWithdrawn || initiative->status == InitiativeStatus::kRejected) {
      return Failure::Of(FailureKind::kConflict, "not_withdrawable", "Cette initiative est déjà retirée ou refusée.");
    }
    const UnixSeconds now = NowSeconds(context_.clock);
    initiative->status = InitiativeStatus::kWithdrawn;
    initiative->under_review = false;
    initiative->updated_at = now;
    JournalInitiative(txn, context_, *initiative);
    store.AddEvent(id, {now, "withdrawn", actor, ""});
    if (store.DeleteProposal(id))
      store.AddEvent(id, {now, "edit_proposal_discarded", actor, "initiative retirée"});
    return *initiative;
  });
}

Result<bool> InitiativeService::Erase(const std::string& id, bool by_owner, const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<bool> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, true);
    if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
    const std::string reason = by_owner ? "demande d'effacement du porteur" : "effacement par l'administration";
    const std::string payload = nlohmann::json{{"reason", reason}}.dump();
    // The committee's decisions name the initiative and hold the votes' reasons: their
    // records are erased with it (same tombstone payload, nothing personal).
    std::vector<LogChange> erases;
    for (const StoredDecision& decision : CommitteeStore(txn).Decisions(id)) {
      if (!decision.journalled) continue;
      erases.push_back({Operation::kErase, RecordKind::kCommitteeDecision,
                        *RecordIdFromString(decision.decision_id), payload});
    }
    erases.push_back(
        {Operation::kErase, RecordKind::kInitiative, *RecordIdFromString(id), payload});
    context_.log_writer.Append(txn, erases);
    LogStore log(txn, context_.settings.region);
    for (const LogChange& erase : erases) log.ErasePayloads(erase.record_id);
    // The row's cascade deletes what the committee holds about it at the node (votes,
    // conflicts of interest, decisions) with the rest (node/sql/030_initiatives.sql).
    store.DeleteForErasure(id, NowSeconds(context_.clock), reason);
    // The initiative's own history goes with its data: the operator's log keeps who erased.
    spdlog::info("initiative {} effacée par {}", id, actor);
    return true;
  });
}

Result<IssuedEditLink> InitiativeService::IssueEditLink(const std::string& id, const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<IssuedEditLink> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, true);
    if (!initiative) return store.IsErased(id) ? kErased : kNotFound;
    const UnixSeconds now = NowSeconds(context_.clock);
    const int revoked = static_cast<int>(store.RevokeEditLinks(id, now));
    auto link =
        IssueEditLinkWithMail(txn, context_, *initiative, "new_link",
                              [&](const std::string& placeholder, const std::string& expires) {
                                return NewLinkMail(initiative->fields.name, placeholder, expires);
                              });
    link.revoked = revoked;
    link.mailed = initiative->private_fields.contact_email.has_value();
    store.AddEvent(
        id, {now, "edit_link_issued", actor,
             (link.mailed ? "envoyé au contact" : "remis par l'administration") +
                 std::string(revoked ? " ; liens précédents révoqués : " + std::to_string(revoked)
                                     : "")});
    return link;
  });
}

Result<int> InitiativeService::RevokeEditLinks(const std::string& id, const std::optional<std::string>& token,
                                               const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<int> {
    InitiativeStore store(txn);
    if (!store.Load(id, true)) return store.IsErased(id) ? kErased : kNotFound;
    const UnixSeconds now = NowSeconds(context_.clock);
    int revoked = 1;
    if (token) {
      store.RevokeEditLink(SecretTokenHash(*token), now);
    } else {
      revoked = static_cast<int>(store.RevokeEditLinks(id, now));
    }
    store.AddEvent(id, {now, "edit_links_revoked", actor, std::to_string(revoked)});
    return revoked;
  });
}

Result<SignalOutcome> InitiativeService::Report(const std::string& id, const ReportInput& input,
                                                const std::string& client_address) {
  const auto& reason = input.reason;
  if (!reason ||
      (*reason != "wrong_information" && *reason != "closed" && *reason != "charter_breach")) {
    return Failure::Invalid("invalid_reason",
                            "Motif de signalement : wrong_information, closed ou charter_breach.", "reason");
  }
  std::string comment;
  if (auto bad =
          ReadEnteredText(input.comment, TextKind::kMultiLine, "comment", "commentaire", comment)) {
    return *bad;
  }
  auto length = Utf8Length(comment);
  if (*length > 2000) {
    return Failure::Invalid("too_long", "Le commentaire dépasse 2 000 caractères.", "comment");
  }
  auto view = GetPublic(id);
  if (!view.ok()) return view.failure();
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<SignalOutcome> {
    InitiativeStore store(txn);
    auto initiative = store.Load(id, true);
    if (!initiative) return kNotFound;
    const UnixSeconds now = NowSeconds(context_.clock);
    const Hash mark =
        VisitorMark(store.NodeSecret(kVisitorMarkSecret), "report", id, client_address,
                    ParticipationPeriod(now, context_.settings.participation_period_days));
    if (!store.InsertReport(id, *reason, comment, now, mark)) {
      return SignalOutcome{false, store.OpenReportCount(id)};
    }
    store.AddEvent(id, {now, "reported", "public", *reason});
    int open = store.OpenReportCount(id);
    OpenReportsReviewIfDue(txn, context_, *initiative, open,
                           CurrentRules(txn, context_.rules)->rules.report_threshold, "public");
    return SignalOutcome{true, open};
  });
}

Result<SignalOutcome> InitiativeService::Endorse(const std::string& id,
                                                 const std::string& entered_comment,
                                                 const std::string& client_address) {
  std::string comment;
  if (auto bad = ReadEnteredText(entered_comment, TextKind::kMultiLine, "comment", "commentaire",
                                 comment)) {
    return *bad;
  }
  auto length = Utf8Length(comment);
  if (*length > 2000) {
    return Failure::Invalid("too_long", "Le commentaire dépasse 2 000 caractères.", "comment");
  }
  auto view = GetPublic(id);
  if (!view.ok()) return view.failure();
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<SignalOutcome> {
    InitiativeStore store(txn);
    const UnixSeconds now = NowSeconds(context_.clock);
    const Hash mark =
        VisitorMark(store.NodeSecret(kVisitorMarkSecret), "endorsement", id, client_address,
                    ParticipationPeriod(now, context_.settings.participation_period_days));
    const bool counted = store.InsertEndorsement(id, comment, now, mark);
    return SignalOutcome{counted, store.EndorsementCount(id)};
  });
}

std::vector<OutboxMessage> InitiativeService::Outbox(std::size_t limit) {
  auto messages = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return InitiativeStore(txn).Outbox(limit); });
  for (auto& m : messages) m.sealed_link.reset();
  return messages;
}

std::vector<OutboxMessage> InitiativeService::MessagesToDeliver(std::size_t limit) {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    InitiativeStore store(txn);
    auto messages = store.Outbox(limit);
    const Hash key = store.NodeSecret(kOutboxLinkSecret);
    for (auto& m : messages) {
      if (!m.sealed_link) continue;
      auto link = OpenLink(key, *m.sealed_link);
      const auto at = m.body.rfind(kMaskedLink);
      if (link && at != std::string::npos) {
        m.body.replace(at, kMaskedLink.size(), *link);
      } else {
        spdlog::warn("message {} : lien privé illisible, envoyé masqué", m.id);
      }
      m.sealed_link.reset();
    }
    return messages;
  });
}

int InitiativeService::SendFreshnessReminders() {
  const UnixSeconds now = NowSeconds(context_.clock);
  FreshnessPolicy policy;
  auto ids = context_.pool.WithTransaction([&](pqxx::work& txn) {
    policy = CurrentRules(txn, context_.rules)->rules.freshness;
    return InitiativeStore(txn).ReminderCandidates(now + policy.reminder_days * kSecondsPerDay, 1000);
  });
  int sent = 0;
  for (const auto& id : ids) {
    sent += context_.pool.WithTransaction([&](pqxx::work& txn) {
      InitiativeStore store(txn);
      auto initiative = store.Load(id, true);
      // Under the row's lock: another node process on this database may have sent it since.
      if (!initiative || !ReminderDue(*initiative, policy, now, store.ReminderSentFor(id))) {
        return 0;
      }
      QueueReminder(txn, context_, *initiative, policy, now, "node");
      return 1;
    });
  }
  return sent;
}

Result<bool> InitiativeService::RemindNow(const std::string& id, const std::string& actor) {
  if (!IsUuidText(id)) return kNotFound;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<bool> {
    InitiativeStore store(txn);
    auto loaded =
        LoadEditable(store, id, "Une initiative refusée ou retirée ne reçoit plus de rappel.");
    if (!loaded.ok()) return loaded.failure();
    if (!loaded.value().private_fields.contact_email) {
      return Failure::Of(FailureKind::kConflict, "no_contact_email",
                         "Cette fiche n'a pas de courriel de contact : aucun rappel ne peut lui "
                         "être envoyé. Remettez au porteur un nouveau lien de modification.");
    }
    QueueReminder(txn, context_, loaded.value(), CurrentRules(txn, context_.rules)->rules.freshness,
                  NowSeconds(context_.clock), actor);
    return true;
  });
}

}  // namespace ess::node
