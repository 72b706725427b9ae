#pragma once
// Places as a visitor types them in a search box, for the node's and the hub's
// GET /api/places alike (docs/node-api.yaml, docs/hub-api.yaml): communes, departments and
// regions of the referential, each with a point to centre the map on and, for a department or
// a region, the box of its communes to fit the map to.
//
// A query is understood as a name (folded: accents, case, hyphens and apostrophes ignored;
// the start of the name or of one of its words), a postcode or its start (the communes that
// have it), an INSEE commune code, a department code ("13", "2A", "971"). Built once per
// referential; a query reads sorted indexes (no scan of the 35,000 communes for a name).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/referential.h"
#include "core/search_params.h"

namespace ess {

inline constexpr std::size_t kMaxPlaceQueryBytes = 100;
inline constexpr std::size_t kDefaultPlaces = 8;
inline constexpr std::size_t kMaxPlaces = 20;

enum class PlaceKind { kCommune, kDepartment, kRegion };

struct Place {
  PlaceKind kind = PlaceKind::kCommune;
  std::string code, name;
  std::string department;              // a commune's department (empty otherwise)
  std::string region;                  // its region (a region: its own code)
  std::vector<std::string> postcodes;  // a commune's
  GeoPoint centre;  // a commune: its point; a department or region: the mean of its communes'
  // A commune whose point is an approximation (the referential's, or its department's centre
  // when the referential has none for it).
  bool approximate = false;
  std::optional<GeoBox> box;  // a department or region: the box of its communes' points
};

// What GET /api/places asks: q (1..kMaxPlaceQueryBytes bytes) and limit (1..kMaxPlaces).
struct PlaceQuery {
  std::string text;
  std::size_t limit = kDefaultPlaces;
};

// q and limit from the query string; the error names the parameter, in French.
std::optional<SearchParamError> ReadPlaceQuery(const QueryLookup& query, PlaceQuery& out);

class PlaceFinder {
 public:
  // The places of `region` (an INSEE region code: a node's), of the whole referential when
  // empty (the hub). Departments and regions without any commune with a point are left out.
  static PlaceFinder Of(const Referential& referential, std::string_view region = {});

  // At most `limit` places, best first: exact matches (a department code, a postcode, a whole
  // name), then the commune of that INSEE code, then names starting with the text, then names
  // with a word starting with it, then codes and postcodes starting with it; regions before
  // departments before communes within each, communes with more postcodes (larger towns)
  // first, then those with an exact point, then by name (numbers in order: "Marseille 2e"
  // before "Marseille 10e"). Region codes are not searched (INSEE's, and "93" is a department).
  // Empty when the text folds to nothing.
  std::vector<Place> Find(std::string_view text, std::size_t limit) const;

  std::size_t size() const { return places_.size(); }

 private:
  std::vector<Place> places_;
  // (folded name from one of its word starts, place): every word start of every name.
  std::vector<std::pair<std::string, std::size_t>> words_;
  // (lower-case code, place): INSEE commune codes and department codes.
  std::vector<std::pair<std::string, std::size_t>> codes_;
  std::vector<std::pair<std::string, std::size_t>> postcodes_;  // (postcode, commune)
  std::vector<std::string> folded_names_;                       // by place
};

// {"places": [...]}, as docs/node-api.yaml describes a place.
std::string PlacesJson(const std::vector<Place>& places);

}  // namespace ess
