#include "hub/store/national_view_version.h"

namespace ess::hub {

void PrepareNationalViewVersionStatements(pqxx::connection& c) {
  // ceil: a timestamp of 12:00:00.0005 is reached from the millisecond 12:00:00.001 on.
  c.prepare("national_view_state",
            "SELECT coalesce((SELECT sum(version) FROM national_view_version), 0)::bigint, "
            "ceil(extract(epoch FROM least("
            "(SELECT min(valid_until) FROM national_initiative "
            "WHERE valid_until > to_timestamp($1::bigint / 1000.0)), "
            "(SELECT min(hide_after) FROM national_initiative "
            "WHERE hide_after > to_timestamp($1::bigint / 1000.0)))) * 1000)::bigint");
}

NationalViewState ReadNationalViewState(pqxx::transaction_base& txn, std::int64_t now_ms) {
  auto row = txn.exec_prepared1("national_view_state", now_ms);
  NationalViewState out;
  out.version = row[0].as<std::int64_t>();
  if (!row[1].is_null()) out.next_change_ms = row[1].as<std::int64_t>();
  return out;
}

}  // namespace ess::hub
