#include "core/change_feed.h"

#include <algorithm>
#include <charconv>

namespace ess {

void ChangeCursor::Advance(const std::string& region, std::uint64_t log_index) {
  auto [it, added] = after.try_emplace(region, log_index);
  if (!added) it->second = std::max(it->second, log_index);
}

std::string ChangeCursor::Encode() const {
  std::string out;
  for (const auto& [region, index] : after) {
    if (!out.empty()) out += '-';
    out += region;
    out += '.';
    out += std::to_string(index);
  }
  return out;
}

std::optional<ChangeCursor> ChangeCursor::Decode(std::string_view text) {
  if (text.size() > kMaxChangeCursorLength) return std::nullopt;
  ChangeCursor cursor;
  while (!text.empty()) {
    const std::size_t dash = text.find('-');
    const std::string_view part = text.substr(0, dash);
    text = dash == std::string_view::npos ? std::string_view() : text.substr(dash + 1);
    if (dash != std::string_view::npos && text.empty()) return std::nullopt;  // trailing '-'
    const std::size_t dot = part.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view region = part.substr(0, dot), index = part.substr(dot + 1);
    if (region.size() < 2 || region.size() > 3 ||
        !std::all_of(region.begin(), region.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), value);
    if (index.empty() || ec != std::errc() || end != index.data() + index.size()) {
      return std::nullopt;
    }
    if (!cursor.after.try_emplace(std::string(region), value).second) return std::nullopt;
  }
  return cursor;
}

nlohmann::json ChangeJson(const ChangeItem& change) {
  nlohmann::json j = {{"change", change.record ? "upsert" : "removal"},
                      {"region", change.region},
                      {"id", change.id},
                      {"record_version", change.record_version},
                      {"log_index", change.log_index},
                      {"status", change.status},
                      {"changed_at", change.changed_at}};
  if (change.record) j["record"] = *change.record;
  return j;
}

nlohmann::json ChangesPageJson(nlohmann::json changes, const ChangeCursor& next, bool more) {
  return {{"changes", std::move(changes)}, {"next", next.Encode()}, {"more", more}};
}

}  // namespace ess
