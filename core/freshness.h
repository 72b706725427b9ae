#pragma once
// The one freshness rule of a record, for the node and the hub alike, in one unit:
// milliseconds since the Unix epoch (`UnixMillis`, what Clock::NowMillis() gives).
//
// A record carries valid_until and hide_after (hide_after >= valid_until). At a given `now`:
//   - hidden      from hide_after on (now >= hide_after): off the public map;
//   - to confirm  from valid_until on (now >= valid_until), until hidden: on the map, flagged;
//   - fresh       before valid_until.
// An instant is reached AT that instant: a record whose valid_until equals now is to confirm.
// A missing instant (the hub may hold a record without those dates) is never reached.
//
// The Sql* functions give the same rule as SQL conditions, so both stores filter exactly as
// FreshnessAt() decides: `column` names a timestamptz column, `now_millis` a bigint SQL
// expression (a parameter such as "$7") in UnixMillis.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

using UnixMillis = std::int64_t;

inline constexpr UnixMillis MillisFromSeconds(std::int64_t seconds) { return seconds * 1000; }

enum class Freshness { kFresh, kToConfirm, kHidden };
std::string_view FreshnessName(Freshness freshness);  // "fresh", "to_confirm", "hidden"
std::optional<Freshness> FreshnessFromName(std::string_view name);

// True from `instant` on (now >= instant); false when there is no instant.
constexpr bool Reached(std::optional<UnixMillis> instant, UnixMillis now) {
  return instant && now >= *instant;
}

Freshness FreshnessAt(std::optional<UnixMillis> valid_until, std::optional<UnixMillis> hide_after,
                      UnixMillis now);

// "(column IS NOT NULL AND column <= <now>)": the SQL form of Reached().
std::string SqlReached(std::string_view column, std::string_view now_millis);
// NOT SqlReached(): "(column IS NULL OR column > <now>)".
std::string SqlNotReached(std::string_view column, std::string_view now_millis);

// Records in one state at now_millis, as FreshnessAt() decides it.
std::string SqlFresh(std::string_view valid_until, std::string_view now_millis);
std::string SqlToConfirm(std::string_view valid_until, std::string_view hide_after,
                         std::string_view now_millis);
std::string SqlHidden(std::string_view hide_after, std::string_view now_millis);
// On the public map: fresh or to confirm (not hidden).
std::string SqlVisible(std::string_view hide_after, std::string_view now_millis);

}  // namespace ess
