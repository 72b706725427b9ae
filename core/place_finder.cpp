#include "core/place_finder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/parse_number.h"
#include "core/text_fold.h"

namespace ess {

namespace {

// The points of a department's or a region's communes, as a centre and a box.
struct Extent {
  double latitude_sum = 0, longitude_sum = 0;
  std::size_t count = 0;
  GeoBox box{180, 90, -180, -90};
  void Add(double latitude, double longitude) {
    latitude_sum += latitude;
    longitude_sum += longitude;
    ++count;
    box.min_longitude = std::min(box.min_longitude, longitude);
    box.min_latitude = std::min(box.min_latitude, latitude);
    box.max_longitude = std::max(box.max_longitude, longitude);
    box.max_latitude = std::max(box.max_latitude, latitude);
  }
  GeoPoint Centre() const { return {latitude_sum / count, longitude_sum / count}; }
};

// Entries of a sorted index whose key starts with `prefix`.
template <typename Visit>
void ForPrefix(const std::vector<std::pair<std::string, std::size_t>>& index,
               const std::string& prefix, Visit visit) {
  auto it =
      std::lower_bound(index.begin(), index.end(), prefix,
                       [](const auto& entry, const std::string& p) { return entry.first < p; });
  for (; it != index.end() && it->first.starts_with(prefix); ++it) visit(it->first, it->second);
}

int KindOrder(PlaceKind kind) {
  return kind == PlaceKind::kRegion ? 0 : kind == PlaceKind::kDepartment ? 1 : 2;
}

// Names with their numbers in order: "marseille 2e" before "marseille 10e".
bool NaturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && digit(a[i_end])) ++i_end;
      while (j_end < b.size() && digit(b[j_end])) ++j_end;
      // Same number of digits (no leading zeros in names): compare as text.
      if (i_end - i != j_end - j) return i_end - i < j_end - j;
      const int c = a.compare(i, i_end - i, b, j, j_end - j);
      if (c != 0) return c < 0;
      i = i_end;
      j = j_end;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

double Rounded(double degrees) { return std::round(degrees * 1e5) / 1e5; }

}  // namespace

std::optional<SearchParamError> ReadPlaceQuery(const QueryLookup& query, PlaceQuery& out) {
  auto q = QueryParam(query, "q");
  if (!q || q->size() > kMaxPlaceQueryBytes || FoldForSearch(*q).empty()) {
    return SearchParamError{"q", "invalid_parameter",
                            "Tapez de 1 à 100 caractères : une commune, un code postal ou un "
                            "département."};
  }
  out.text = *q;
  out.limit = kDefaultPlaces;
  if (auto limit = QueryParam(query, "limit")) {
    auto v = ParseNumber<std::size_t>(*limit);
    if (!v || *v < 1 || *v > kMaxPlaces) {
      return SearchParamError{"limit", "invalid_parameter", "« limit » : de 1 à 20."};
    }
    out.limit = *v;
  }
  return std::nullopt;
}

PlaceFinder PlaceFinder::Of(const Referential& referential, std::string_view region) {
  std::unordered_map<std::string, Extent> departments, regions;
  for (const auto& [code, c] : referential.communes()) {
    if (!region.empty() && c.region != region) continue;
    if (!c.latitude || !c.longitude) continue;
    departments[c.department].Add(*c.latitude, *c.longitude);
    regions[c.region].Add(*c.latitude, *c.longitude);
  }
  PlaceFinder out;
  for (const auto& r : referential.regions()) {
    auto it = regions.find(r.code);
    if (it == regions.end()) continue;
    out.places_.push_back({PlaceKind::kRegion,
                           r.code,
                           r.label,
                           "",
                           r.code,
                           {},
                           it->second.Centre(),
                           false,
                           it->second.box});
  }
  for (const auto& d : referential.departments()) {
    auto it = departments.find(d.code);
    if (it == departments.end()) continue;
    out.places_.push_back({PlaceKind::kDepartment,
                           d.code,
                           d.label,
                           "",
                           d.parent,
                           {},
                           it->second.Centre(),
                           false,
                           it->second.box});
  }
  for (const auto& [code, c] : referential.communes()) {
    if (!region.empty() && c.region != region) continue;
    Place place{PlaceKind::kCommune, c.code, c.name,        c.department, c.region,
                c.postcodes,         {},     c.approximate, std::nullopt};
    if (c.latitude && c.longitude) {
      place.centre = {*c.latitude, *c.longitude};
    } else {
      auto it = departments.find(c.department);
      if (it == departments.end()) continue;
      place.centre = it->second.Centre();
      place.approximate = true;  // its department's centre
    }
    out.places_.push_back(std::move(place));
  }
  for (std::size_t i = 0; i < out.places_.size(); ++i) {
    const Place& p = out.places_[i];
    std::string folded = FoldForSearch(p.name);
    for (std::size_t at = 0; at < folded.size(); ++at) {
      if (at == 0 || folded[at - 1] == ' ') out.words_.emplace_back(folded.substr(at), i);
    }
    out.folded_names_.push_back(std::move(folded));
    // Region codes are INSEE's, not what people type ("93" is a department too).
    if (p.kind != PlaceKind::kRegion) out.codes_.emplace_back(AsciiLower(p.code), i);
    for (const auto& postcode : p.postcodes) out.postcodes_.emplace_back(postcode, i);
  }
  std::sort(out.words_.begin(), out.words_.end());
  std::sort(out.codes_.begin(), out.codes_.end());
  std::sort(out.postcodes_.begin(), out.postcodes_.end());
  return out;
}

std::vector<Place> PlaceFinder::Find(std::string_view text, std::size_t limit) const {
  const std::string q = FoldForSearch(text);
  if (q.empty() || limit == 0) return {};
  // 0 exact (a department code, a postcode, a whole name), 1 a commune's INSEE code (after
  // the communes of that postcode), 2 a name's start, 3 a word's start, 4 a code's or a
  // postcode's start: the best group of each place found.
  std::unordered_map<std::size_t, int> group;
  auto found = [&](std::size_t place, int g) {
    auto [it, added] = group.emplace(place, g);
    if (!added) it->second = std::min(it->second, g);
  };
  ForPrefix(words_, q, [&](const std::string& key, std::size_t place) {
    const bool whole_name = key.size() == folded_names_[place].size();
    found(place, whole_name ? (key == q ? 0 : 2) : 3);
  });
  const std::string code = AsciiLower(text.substr(0, std::min<std::size_t>(text.size(), 16)));
  const bool code_like = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c));
  });
  if (code_like) {
    ForPrefix(codes_, code, [&](const std::string& key, std::size_t place) {
      found(place, key != code ? 4 : places_[place].kind == PlaceKind::kCommune ? 1 : 0);
    });
    ForPrefix(postcodes_, code, [&](const std::string& key, std::size_t place) {
      found(place, key == code ? 0 : 4);
    });
  }
  std::vector<std::pair<std::size_t, int>> ranked(group.begin(), group.end());
  // Within a group: regions, departments, then communes with more postcodes, then those with
  // an exact point (GeoNames' towns of 1,000 inhabitants or more) before the approximated.
  auto before = [this](const std::pair<std::size_t, int>& a, const std::pair<std::size_t, int>& b) {
    const Place& x = places_[a.first];
    const Place& y = places_[b.first];
    const long x_postcodes = -static_cast<long>(x.postcodes.size());
    const long y_postcodes = -static_cast<long>(y.postcodes.size());
    const int x_kind = KindOrder(x.kind), y_kind = KindOrder(y.kind);
    if (std::tie(a.second, x_kind, x_postcodes, x.approximate) !=
        std::tie(b.second, y_kind, y_postcodes, y.approximate)) {
      return std::tie(a.second, x_kind, x_postcodes, x.approximate) <
             std::tie(b.second, y_kind, y_postcodes, y.approximate);
    }
    const std::string& x_name = folded_names_[a.first];
    const std::string& y_name = folded_names_[b.first];
    if (x_name != y_name) return NaturalLess(x_name, y_name);
    return x.code < y.code;
  };
  const std::size_t kept = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept),
                    ranked.end(), before);
  std::vector<Place> out;
  for (std::size_t i = 0; i < kept; ++i) out.push_back(places_[ranked[i].first]);
  return out;
}

std::string PlacesJson(const std::vector<Place>& places) {
  nlohmann::json items = nlohmann::json::array();
  for (const Place& p : places) {
    nlohmann::json j = {{"kind", p.kind == PlaceKind::kCommune      ? "commune"
                                 : p.kind == PlaceKind::kDepartment ? "department"
                                                                    : "region"},
                        {"code", p.code},
                        {"name", p.name},
                        {"region", p.region},
                        {"latitude", Rounded(p.centre.latitude)},
                        {"longitude", Rounded(p.centre.longitude)}};
    if (p.kind == PlaceKind::kCommune) {
      j["department"] = p.department;
      j["postcodes"] = p.postcodes;
      j["approximate"] = p.approximate;
    }
    if (p.box) {
      j["bbox"] = {Rounded(p.box->min_longitude), Rounded(p.box->min_latitude),
                   Rounded(p.box->max_longitude), Rounded(p.box->max_latitude)};
    }
    items.push_back(std::move(j));
  }
  return nlohmann::json{{"places", std::move(items)}}.dump();
}

}  // namespace ess
