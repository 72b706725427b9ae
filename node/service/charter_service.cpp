#include "node/service/charter_service.h"

#include <span>

#include "core/field_rules.h"
#include "node/service/initiative_service.h"
#include "node/service/journal.h"
#include "node/store/committee_store.h"
#include "node/store/initiative_store.h"

namespace ess::node {

Result<CharterPreview> CharterService::Preview(const std::optional<std::string>& text,
                                               int readhesion_days) {
  if (!text) return Failure::Invalid("required", "Le texte de la charte est obligatoire.", "text");
  const std::string normalised = NormalizeText(*text, TextKind::kMultiLine);
  if (auto bad = CheckCharterDraft(normalised, readhesion_days)) return *bad;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<CharterPreview> {
    auto current = CommitteeStore(txn).CurrentCharter();
    if (auto bad = CheckCharterChanged(normalised, current)) return *bad;
    CharterPreview preview;
    if (current) {
      preview.current_version = current->version;
      preview.listings_to_readhere =
          static_cast<int>(InitiativeStore(txn).OnOlderCharter(current->version + 1).size());
    }
    return preview;
  });
}

Result<PublishedCharter> CharterService::Publish(const Principal& admin,
                                                 const std::optional<std::string>& text,
                                                 int readhesion_days,
                                                 const std::optional<int>& confirm_listings) {
  if (!text) return Failure::Invalid("required", "Le texte de la charte est obligatoire.", "text");
  PublishedCharter out;
  out.charter.text = NormalizeText(*text, TextKind::kMultiLine);
  out.charter.readhesion_days = readhesion_days;
  if (auto bad = CheckCharterDraft(out.charter.text, out.charter.readhesion_days)) return *bad;
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<PublishedCharter> {
    CommitteeStore committee(txn);
    InitiativeStore initiatives(txn);
    // Lock order of every workflow: the publication lock, initiative rows, then the log head
    // (taken by Append). Publications are serialised so versions follow each other.
    committee.LockCharterPublication();
    auto previous = committee.CurrentCharter();
    if (auto bad = CheckCharterChanged(out.charter.text, previous)) return *bad;
    std::vector<std::string> older;
    if (previous) older = initiatives.OnOlderCharter(previous->version + 1);
    if (auto bad = CheckPublicationConfirmed(confirm_listings, static_cast<int>(older.size()),
                                             previous.has_value())) {
      return *bad;
    }
    const UnixSeconds now = NowSeconds(context_.clock);
    out.charter.version = previous ? previous->version + 1 : 1;
    out.charter.record_id = NewRecordIdText();
    out.charter.published_at = now;
    std::vector<Initiative> asked;
    for (const auto& id : older) {
      if (auto initiative = initiatives.Load(id, true)) asked.push_back(std::move(*initiative));
    }
    LogChange change{Operation::kPut, RecordKind::kCharterVersion, *RecordIdFromString(out.charter.record_id),
                     CharterVersionPayload(out.charter)};
    context_.log_writer.Append(txn, std::span(&change, 1));
    committee.InsertCharter(out.charter, admin.account.account_id);
    for (const auto& initiative : asked) {
      IssueEditLinkInTransaction(
          txn, context_, initiative, "Nouvelle version de la charte régionale",
          "La charte régionale passe à la version " + std::to_string(out.charter.version) +
              ". Pour rester sur la carte, « " + initiative.fields.name + " » doit y adhérer d'ici le " +
              FormatRfc3339(now + out.charter.readhesion_days * kSecondsPerDay) + ".",
          now + out.charter.readhesion_days * kSecondsPerDay);
      initiatives.AddEvent(initiative.id, {now, "readhesion_asked", admin.Actor(),
                                           "charte v" + std::to_string(out.charter.version)});
      ++out.readhesions_asked;
    }
    return out;
  });
}

Result<CharterVersion> CharterService::Current() {
  auto current = context_.pool.WithTransaction([&](pqxx::work& txn) { return CommitteeStore(txn).CurrentCharter(); });
  if (!current) return Failure::Of(FailureKind::kNotFound, "no_charter", "La charte régionale n'est pas encore publiée.");
  return *current;
}

Result<std::vector<CharterVersion>> CharterService::Versions() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return Result<std::vector<CharterVersion>>(CommitteeStore(txn).Charters());
  });
}

}  // namespace ess::node
