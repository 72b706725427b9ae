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

AppendedRecords JournalInitiative(pqxx::transaction_base& txn, const NodeContext& context,
                                  Initiative& initiative, std::vector<LogChange> before) {
  before.push_back(InitiativeRevision(initiative));
  AppendedRecords appended = context.journal.Append(txn, before);
  initiative.log_version = appended.records.back().entry.record_version;
  InitiativeStore(txn).Save(initiative, InitiativeSearchText(initiative, context));
  return appended;
}

std::string InitiativeSearchText(const Initiative& initiative, const NodeContext& context) {
  auto referential = context.referential.Get();
  std::vector<std::string> titles;
  for (const auto& offer : initiative.fields.offers) titles.push_back(offer.title);
  return InitiativeSearchWords(initiative.fields.activities, titles, referential.get());
}

std::string NewRecordIdText() { return RecordIdToString(NewRecordId()); }

bool IsUuidText(const std::string& text) {
  auto id = RecordIdFromString(text);
  return id && RecordIdToString(*id) == text;
}

}  // namespace ess::node
