#include "core/freshness.h"

namespace ess {

namespace {

// timestamptz from UnixMillis; whole milliseconds are exact (PostgreSQL rounds to the
// microsecond).
std::string Timestamp(std::string_view now_millis) {
  return "to_timestamp(" + std::string(now_millis) + "::bigint / 1000.0)";
}

}  // namespace

std::string_view FreshnessName(Freshness freshness) {
  switch (freshness) {
    case Freshness::kFresh: return "fresh";
    case Freshness::kToConfirm: return "to_confirm";
    case Freshness::kHidden: return "hidden";
  }
  return "fresh";
}

std::optional<Freshness> FreshnessFromName(std::string_view name) {
  for (auto f : {Freshness::kFresh, Freshness::kToConfirm, Freshness::kHidden}) {
    if (FreshnessName(f) == name) return f;
  }
  return std::nullopt;
}

Freshness FreshnessAt(std::optional<UnixMillis> valid_until, std::optional<UnixMillis> hide_after,
                      UnixMillis now) {
  if (Reached(hide_after, now)) return Freshness::kHidden;
  if (Reached(valid_until, now)) return Freshness::kToConfirm;
  return Freshness::kFresh;
}

std::string SqlReached(std::string_view column, std::string_view now_millis) {
  const std::string c(column);
  return "(" + c + " IS NOT NULL AND " + c + " <= " + Timestamp(now_millis) + ")";
}

std::string SqlNotReached(std::string_view column, std::string_view now_millis) {
  const std::string c(column);
  return "(" + c + " IS NULL OR " + c + " > " + Timestamp(now_millis) + ")";
}

std::string SqlFresh(std::string_view valid_until, std::string_view now_millis) {
  return SqlNotReached(valid_until, now_millis);
}

std::string SqlToConfirm(std::string_view valid_until, std::string_view hide_after,
                         std::string_view now_millis) {
  return "(" + SqlReached(valid_until, now_millis) + " AND " +
         SqlNotReached(hide_after, now_millis) + ")";
}

std::string SqlHidden(std::string_view hide_after, std::string_view now_millis) {
  return SqlReached(hide_after, now_millis);
}

std::string SqlVisible(std::string_view hide_after, std::string_view now_millis) {
  return SqlNotReached(hide_after, now_millis);
}

}  // namespace ess
