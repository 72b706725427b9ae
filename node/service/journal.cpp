#include "node/service/journal.h"

#include "core/log_entry.h"
#include "core/payload_schema.h"
#include "core/search_text.h"
#include "node/domain/initiative_json.h"
#include "node/store/initiative_store.h"

namespace ess::node {

JournalPayloadCheck NodeJournalPayloadCheck(const ReferentialHolder& referential) {
  return [&referential](const LogChange& change, std::string_view region) -> Verdict {
    if (auto current = referential.Get()) {
      return PayloadChecker(*current)
          .Check(change.operation, change.kind, region, change.payload)
          .verdict;
    }
    auto payload = nlohmann::json::parse(change.payload, nullptr, false);
    if (payload.is_discarded()) {
      return Verdict::Fail(VerdictCode::kPayloadInvalid, "contenu JSON illisible");
    }
    return CheckPayloadFields(PayloadSchemaFor(change.operation, change.kind), payload);
  };
}

LogChange InitiativeRevision(const Initiative& initiative) {
  return {Operation::kPut, RecordKind::kInitiative, *RecordIdFromString(initiative.id),
          InitiativePayload(initiative)};
}

AppendedRecords JournalInitiatives(pqxx::transaction_base& txn, const NodeContext& context,
                                   std::span<Initiative> initiatives, std::vector<LogChange> before,
                                   const std::function<void(std::size_t)>& on_saved) {
  const std::size_t first = before.size();
  for (const auto& initiative : initiatives) before.push_back(InitiativeRevision(initiative));
  AppendedRecords appended = context.log_writer.Append(txn, before);
  InitiativeStore store(txn);
  for (std::size_t k = 0; k < initiatives.size(); ++k) {
    initiatives[k].record_version = appended.records[first + k].entry.record_version;
    store.Save(initiatives[k], InitiativeSearchText(initiatives[k], context));
    if (on_saved) on_saved(k + 1);
  }
  return appended;
}

AppendedRecords JournalInitiative(pqxx::transaction_base& txn, const NodeContext& context,
                                  Initiative& initiative, std::vector<LogChange> before) {
  return JournalInitiatives(txn, context, std::span(&initiative, 1), std::move(before));
}

std::string InitiativeSearchText(const Initiative& initiative, const NodeContext& context) {
  auto referential = context.referential.Get();
  std::vector<std::string> titles;
  for (const auto& offer : initiative.fields.offers) titles.push_back(offer.title);
  return InitiativeSearchWords(initiative.fields.activities, titles, initiative.fields.postcode,
                               initiative.fields.commune, referential.get());
}

std::string NewRecordIdText() { return RecordIdToString(NewRecordId()); }

bool IsUuidText(const std::string& text) {
  auto id = RecordIdFromString(text);
  return id && RecordIdToString(*id) == text;
}

}  // namespace ess::node
