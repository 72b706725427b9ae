#pragma once
// A number written as the whole of a text (a query parameter, a coordinate of a list): no '+',
// no spaces, nothing after it; floating-point values must be finite.

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <type_traits>

namespace ess {

template <typename Number>
std::optional<Number> ParseNumber(std::string_view text) {
  Number v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if constexpr (std::is_floating_point_v<Number>) {
    if (!std::isfinite(v)) return std::nullopt;
  }
  return v;
}

}  // namespace ess
