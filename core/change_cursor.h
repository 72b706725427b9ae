#pragma once
// The change feed's resumable cursor (GET /api/changes at the hub and at each node,
// docs/interop.md): for each region, the log index of the last change delivered. Within a
// region the changes come in log order, which is also the order the view committed them in,
// so "every change after this index" never misses one committed later. Across regions
// there is no order: the cursor keeps one position per region.
//
// Written as the API's opaque `after`: the regions in order, each "REGION.INDEX", joined by
// '-' (e.g. "76.12-93.1051"); the empty cursor is the start of every region's history.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

inline constexpr std::size_t kMaxChangeCursorLength = 1024;

struct ChangeCursor {
  // Region code -> log index of the last change delivered; a region absent: none yet.
  std::map<std::string, std::uint64_t> after;

  // Records that the change at (`region`, `log_index`) was delivered.
  void Advance(const std::string& region, std::uint64_t log_index);
  std::string Encode() const;
  // nullopt when `text` is not a cursor this API wrote: longer than kMaxChangeCursorLength,
  // a region not of 2 or 3 digits, an index not a decimal number, a region twice.
  static std::optional<ChangeCursor> Decode(std::string_view text);
};

}  // namespace ess
