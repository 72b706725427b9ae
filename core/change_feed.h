#pragma once
// The change feed (GET /api/changes at the hub and at each node, docs/interop.md): its
// resumable cursor and the JSON of a change, the same on both sides.
//
// The cursor: for each region, the log index of the last change delivered. Within a
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

#include <nlohmann/json.hpp>

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

// One change: "upsert" with `record` (the initiative as the search shows it), or "removal"
// without. `changed_at` is RFC 3339.
struct ChangeItem {
  std::string region, id;
  std::uint32_t record_version = 0;
  std::uint64_t log_index = 0;  // the entry of the region's log that caused the change
  std::string status;
  std::string changed_at;
  std::optional<nlohmann::json> record;
};
nlohmann::json ChangeJson(const ChangeItem& change);
// {"changes", "next", "more"}.
nlohmann::json ChangesPageJson(nlohmann::json changes, const ChangeCursor& next, bool more);

}  // namespace ess
