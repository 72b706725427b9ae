#pragma once
// The whole content of the hub's national tables, the aggregates kept from them included
// (hub/sql/041_national_aggregates.sql), as text: two hubs that applied the same entries in
// different ways (one batch, one by one) must give the same snapshot.

#include <string>

#include <pqxx/pqxx>

namespace ess::test {

inline std::string NationalTablesSnapshot(pqxx::transaction_base& txn) {
  std::string out;
  for (const char* query : {
           "SELECT * FROM national_initiative_state ORDER BY region, record_id",
           "SELECT * FROM national_initiative ORDER BY region, record_id",
           "SELECT * FROM national_aggregate_state",
           "SELECT * FROM national_cluster_cell "
           "ORDER BY zoom, cx, cy, region, department, family",
           "SELECT * FROM national_indicator_count "
           "ORDER BY level, kind, region, department, period, code",
           "SELECT * FROM national_status_count ORDER BY region, status",
       }) {
    out += std::string(query) + "\n";
    for (const auto& row :
         txn.exec("SELECT to_jsonb(t)::text FROM (" + std::string(query) + ") t")) {
      out += row[0].c_str() + std::string("\n");
    }
  }
  return out;
}

}  // namespace ess::test
