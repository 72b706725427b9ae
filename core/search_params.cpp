#include "core/search_params.h"

#include <algorithm>
#include <cctype>

#include "core/parse_number.h"

namespace ess {

namespace {

SearchParamError Invalid(std::string field, std::string message) {
  return {std::move(field), "invalid_parameter", std::move(message)};
}

bool IsCode(const std::string& s) {
  if (s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// "a, b ou c".
std::string Alternatives(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " ou " : ", ";
    out += values[i];
  }
  return out;
}

}  // namespace

QueryLookup LookupIn(const QueryMap& query) {
  return [&query](std::string_view name) -> std::optional<std::string> {
    auto it = query.lower_bound(std::string(name));
    if (it == query.end() || it->first != name) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> QueryParam(const QueryLookup& lookup, std::string_view name) {
  auto v = lookup(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::optional<GeoBox> SearchBox(const SearchFilters& f) {
  if (!f.near) return f.box;
  const GeoBox circle = BoundingBoxOf(*f.near);
  return f.box ? Intersection(*f.box, circle) : circle;
}

std::optional<SearchParamError> ReadSearchFilters(const QueryLookup& query,
                                                  const SearchParamsRules& rules,
                                                  SearchFilters& f) {
  f.text = QueryParam(query, "q");
  if (f.text && f.text->size() > kMaxSearchTextBytes) {
    return SearchParamError{"q", "too_long", "Recherche trop longue (200 caractères au plus)."};
  }
  struct Code {
    const char* name;
    std::optional<std::string>* target;
    bool read;
  } codes[] = {{"region", &f.region, rules.region_and_legal_form},
               {"department", &f.department, true},
               {"commune", &f.commune, true},
               {"family", &f.family, true},
               {"legal_form", &f.legal_form, rules.region_and_legal_form},
               {"activity", &f.activity, true}};
  for (const auto& code : codes) {
    if (!code.read) continue;
    *code.target = QueryParam(query, code.name);
    if (*code.target && !IsCode(**code.target)) {
      return Invalid(code.name, std::string("Code invalide pour « ") + code.name + " ».");
    }
  }
  f.freshness = QueryParam(query, "freshness");
  if (f.freshness) {
    bool known = false;
    for (const auto& v : rules.freshness_values) known = known || v == *f.freshness;
    if (!known)
      return Invalid("freshness", "Fraîcheur : " + Alternatives(rules.freshness_values) + ".");
  }
  if (auto bbox = QueryParam(query, "bbox")) {
    f.box = ParseGeoBox(*bbox);
    if (!f.box) return Invalid("bbox", "bbox attendu : " + std::string(kGeoBoxFormat) + ".");
  }
  auto near = QueryParam(query, "near");
  auto radius = QueryParam(query, "radius_km");
  if (near) {
    auto centre = ParseGeoPoint(*near);
    if (!centre) return Invalid("near", "near attendu : latitude,longitude.");
    double radius_m = kDefaultRadiusMetres;
    if (radius) {
      auto km = ParseNumber<double>(*radius);
      if (!km || *km <= 0 || *km * 1000 > kMaxRadiusMetres) {
        return Invalid("radius_km", "radius_km : de 0 à 500 km.");
      }
      radius_m = *km * 1000;
    }
    f.near = GeoCircle{*centre, radius_m};
  } else if (radius) {
    return Invalid("near", "radius_km demande near=latitude,longitude.");
  }
  return std::nullopt;
}

std::optional<SearchParamError> ReadPageRequest(const QueryLookup& query, std::size_t max_per_page,
                                                std::size_t default_per_page, PageRequest& page) {
  page = {1, default_per_page};
  if (auto p = QueryParam(query, "page")) {
    auto v = ParseNumber<std::size_t>(*p);
    if (!v || *v < 1 || *v > kMaxPageNumber) return Invalid("page", "page : entier à partir de 1.");
    page.page = *v;
  }
  if (auto p = QueryParam(query, "per_page")) {
    auto v = ParseNumber<std::size_t>(*p);
    if (!v || *v < 1 || *v > max_per_page) {
      return Invalid("per_page", "per_page : de 1 à " + std::to_string(max_per_page) + ".");
    }
    page.per_page = *v;
  }
  return std::nullopt;
}

std::optional<SearchParamError> ReadChangeFeedRequest(const QueryLookup& query,
                                                      std::size_t max_limit,
                                                      ChangeFeedRequest& request) {
  request = {};
  if (auto text = QueryParam(query, "after")) {
    auto cursor = ChangeCursor::Decode(*text);
    if (!cursor) {
      return Invalid("after",
                     "« after » n'est pas un curseur de ce flux : reprenez la valeur « next » "
                     "de la page précédente, ou omettez-le pour partir du début.");
    }
    request.after = std::move(*cursor);
  }
  request.region = QueryParam(query, "region");
  if (request.region && (request.region->size() < 2 || request.region->size() > 3 ||
                         !std::all_of(request.region->begin(), request.region->end(),
                                      [](char c) { return c >= '0' && c <= '9'; }))) {
    return Invalid("region", "« region » doit être le code INSEE d'une région (« 93 »).");
  }
  if (auto text = QueryParam(query, "limit")) {
    auto v = ParseNumber<std::size_t>(*text);
    if (!v || *v < 1 || *v > max_limit) {
      return Invalid("limit",
                     "« limit » doit être un entier de 1 à " + std::to_string(max_limit) + ".");
    }
    request.limit = *v;
  }
  return std::nullopt;
}

std::optional<SearchParamError> ReadZoom(const QueryLookup& query, std::optional<int> default_zoom,
                                         int& zoom) {
  auto text = QueryParam(query, "zoom");
  auto v = text ? ParseNumber<int>(*text) : default_zoom;
  if (!v || *v < 0 || *v > kMaxZoom) return Invalid("zoom", "zoom : de 0 à 20.");
  zoom = *v;
  return std::nullopt;
}

}  // namespace ess
