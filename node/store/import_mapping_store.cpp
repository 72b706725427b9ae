#include "node/store/import_mapping_store.h"

#include <nlohmann/json.hpp>

namespace ess::node {

std::optional<std::map<std::string, std::string>> ImportMappingStore::Load(
    const std::string& signature) {
  auto r =
      txn_.exec_params("SELECT mapping::text FROM import_mapping WHERE signature = $1", signature);
  if (r.empty()) return std::nullopt;
  std::map<std::string, std::string> out;
  const nlohmann::json stored = nlohmann::json::parse(r[0][0].as<std::string>());
  for (const auto& [field, column] : stored.items()) {
    if (column.is_string()) out[field] = column.get<std::string>();
  }
  return out;
}

void ImportMappingStore::Save(const std::string& signature,
                              const std::map<std::string, std::string>& mapping,
                              const std::string& chosen_by, UnixSeconds at) {
  txn_.exec_params(
      "INSERT INTO import_mapping (signature, mapping, chosen_by, chosen_at) "
      "VALUES ($1, $2::jsonb, $3, to_timestamp($4)) ON CONFLICT (signature) DO UPDATE SET "
      "mapping = EXCLUDED.mapping, chosen_by = EXCLUDED.chosen_by, chosen_at = EXCLUDED.chosen_at",
      signature, nlohmann::json(mapping).dump(), chosen_by, at);
}

}  // namespace ess::node
