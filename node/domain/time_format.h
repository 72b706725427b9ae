#pragma once
// Dates as the protocol writes them: RFC 3339 in UTC, to the second ("2026-01-01T00:00:00Z").
// The node handles time as Unix seconds; the Clock gives "now".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace ess::node {

using UnixSeconds = std::int64_t;
inline constexpr UnixSeconds kSecondsPerDay = 86'400;

inline UnixSeconds NowSeconds(const Clock& clock) { return clock.NowMillis() / 1000; }

std::string FormatRfc3339(UnixSeconds t);
// Accepts exactly "YYYY-MM-DDTHH:MM:SSZ"; nullopt otherwise.
std::optional<UnixSeconds> ParseRfc3339(std::string_view text);

}  // namespace ess::node
