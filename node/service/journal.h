#pragma once
// Journalling inside the state change's transaction: every accepted change appends its
// signed record(s) with RegionLogWriter in the same transaction that writes the state, so
// both commit or neither does.

#include <functional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/region_log_writer.h"
#include "node/domain/initiative.h"
#include "node/domain/referential_holder.h"
#include "node/service/node_context.h"

namespace ess::node {

// The check the node's journal applies to every payload before writing it: the core payload
// schema against the current referential (the hub applies the same one), or only the
// schema's field table while no referential is loaded. `referential` must outlive the
// returned function.
JournalPayloadCheck NodeJournalPayloadCheck(const ReferentialHolder& referential);

// The put of an initiative's public state (docs/protocol.md §8).
LogChange InitiativeRevision(const Initiative& initiative);

// The one way to journal initiative revisions: appends `before` (e.g. a committee decision)
// then each initiative's revision in one append (one checkpoint, versions in order), sets
// each initiative.record_version to its revision's record version and saves the rows, calling
// `on_saved(n)` after the n-th. Run it inside NodeContext::RunJournalling.
AppendedRecords JournalInitiatives(pqxx::transaction_base& txn, const NodeContext& context,
                                   std::span<Initiative> initiatives,
                                   std::vector<LogChange> before = {},
                                   const std::function<void(std::size_t saved)>& on_saved = {});
// The same for one initiative.
AppendedRecords JournalInitiative(pqxx::transaction_base& txn, const NodeContext& context,
                                  Initiative& initiative, std::vector<LogChange> before = {});

// Text indexed for search besides name, commune and description: activity labels and offer
// titles.
std::string InitiativeSearchText(const Initiative& initiative, const NodeContext& context);

// "xxxxxxxx-..." for a new record id.
std::string NewRecordIdText();
// nullopt unless `text` is a UUID in canonical form.
bool IsUuidText(const std::string& text);

}  // namespace ess::node
