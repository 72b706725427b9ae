#pragma once
// Small conversions between C++ values and statement parameters / result fields (libpqxx
// 6.4: no std::optional parameters, no string_view). Times travel as Unix seconds:
// written with to_timestamp($n), read as extract(epoch ...)::bigint.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/bytes.h"
#include "core/pg_fields.h"
#include "node/domain/time_format.h"

namespace ess::node {

// NULL for nullopt; the pointer lives as long as `value`.
inline const char* OrNull(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

inline std::optional<UnixSeconds> OptionalSeconds(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<UnixSeconds>();
}

inline pqxx::binarystring Bin(const Hash& hash) { return pqxx::binarystring(hash.data(), hash.size()); }

}  // namespace ess::node

namespace ess::node {

// The names registered through PrepareStatement on this thread since the last call of
// TakeNotedStatementNames (for eager preparation and tests).
inline std::vector<std::string>& NotedStatementNames() {
  thread_local std::vector<std::string> names;
  return names;
}

// conn.prepare(name, sql), noting the name.
inline void PrepareStatement(pqxx::connection& conn, const std::string& name, const std::string& sql) {
  conn.prepare(name, sql);
  NotedStatementNames().push_back(name);
}

}  // namespace ess::node
