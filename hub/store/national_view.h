#pragma once
// Keeps the national tables (hub/sql/012_national_view.sql) in step with the stored region
// logs, inside the transaction that stores a verified batch (docs/protocol.md section 8):
//   - initiative put, status admitted: the revision goes on the map (replacing the previous);
//   - initiative put, any other status: the initiative leaves the map (as on the node);
//   - erase (any kind): payload and salt of every entry of the record are deleted (also of a
//     quarantined entry), and an initiative leaves the map for good, its state "erased".
// Every initiative's latest status is kept for the indicators. A batch costs two COPYs into
// the session's staging tables and four statements whatever its size (and two per erase
// entry); the national tables see only INSERT ... SELECT, UPDATE (ON CONFLICT) and DELETE.
// Call PrepareNationalViewStatements() on every new connection: it also creates the
// session's temporary staging tables (docs/decisions/0011-catch-up-copy-and-pipeline.md).

#include <span>
#include <string>

#include <pqxx/pqxx>

#include "core/log_entry.h"
#include "hub/domain/payload_rules.h"

namespace ess::hub {

void PrepareNationalViewStatements(pqxx::connection& conn);

class NationalView {
 public:
  NationalView(pqxx::transaction_base& txn, const PayloadRules& rules)
      : txn_(txn), rules_(rules) {}

  // Applies records just stored for `region`, in log order. Their payloads were checked by
  // the verifier through `rules` (PayloadRules::Check), which handed the parsed initiative
  // revisions on in `parsed`; an initiative missing there is parsed now, and one that does
  // not pass throws std::logic_error.
  void Apply(const std::string& region, std::span<const LogRecord> records,
             ParsedInitiatives parsed = {});

 private:
  pqxx::transaction_base& txn_;
  const PayloadRules& rules_;
};

}  // namespace ess::hub
