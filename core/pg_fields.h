#pragma once
// Small helpers shared by the node's and hub's SQL (libpqxx 6.4).

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <pqxx/pqxx>

namespace ess {

// A SQL expression that formats a timestamptz column as RFC 3339 in UTC
// ("2026-01-01T00:00:00Z"), the form of every date in payloads and APIs.
inline std::string SqlRfc3339(std::string_view column) {
  return "to_char(" + std::string(column) +
         " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

inline std::optional<std::string> OptionalText(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

// '{"a","b"}': a PostgreSQL text[] literal, every element quoted (a statement parameter cast
// with ::text[]).
inline std::string TextArrayLiteral(std::span<const std::string> values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace ess
