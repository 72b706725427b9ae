#pragma once
// The column mappings the import remembers (node/sql/170_import_mappings.sql), inside the
// caller's transaction.

#include <map>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "node/domain/time_format.h"

namespace ess::node {

class ImportMappingStore {
 public:
  explicit ImportMappingStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // field -> column header, as last chosen for `signature`; nullopt if never.
  std::optional<std::map<std::string, std::string>> Load(const std::string& signature);
  // Keeps `mapping` for `signature`, replacing the one chosen before.
  void Save(const std::string& signature, const std::map<std::string, std::string>& mapping,
            const std::string& chosen_by, UnixSeconds at);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
