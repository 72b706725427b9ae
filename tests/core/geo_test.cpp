// core's places and search parameters (core/geo.h, core/search_params.h), for the node and
// the hub alike.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/geo.h"
#include "core/search_params.h"

using namespace ess;

namespace {

QueryLookup From(const std::map<std::string, std::string, std::less<>>& params) {
  return [params](std::string_view name) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<SearchParamError> Filters(const std::map<std::string, std::string, std::less<>>& p,
                                        SearchFilters& out, SearchParamsRules rules = {}) {
  return ReadSearchFilters(From(p), rules, out);
}

}  // namespace

TEST_CASE("bbox: minLon,minLat,maxLon,maxLat, as both APIs document it") {
  auto box = ParseGeoBox("5.3,43.2,5.5,43.4");
  REQUIRE(box);
  CHECK(box->min_longitude == 5.3);
  CHECK(box->min_latitude == 43.2);
  CHECK(box->max_longitude == 5.5);
  CHECK(box->max_latitude == 43.4);
  CHECK(ParseGeoBox("-5.3,-43.2,-5.1,-43.1"));
}

TEST_CASE("bbox: exactly four numbers, min <= max, latitudes within [-90, 90]") {
  CHECK_FALSE(ParseGeoBox("1,2,3"));
  // The node's old parser read a trailing comma as nothing and accepted these.
  CHECK_FALSE(ParseGeoBox("1,2,3,4,"));
  CHECK_FALSE(ParseGeoBox("1,2,3,4,5"));
  CHECK_FALSE(ParseGeoBox("1,,3,4"));
  CHECK_FALSE(ParseGeoBox(" 1,2,3,4"));
  CHECK_FALSE(ParseGeoBox("3,2,1,4"));  // min longitude > max
  CHECK_FALSE(ParseGeoBox("1,4,3,2"));  // min latitude > max
  CHECK_FALSE(ParseGeoBox("1,-91,3,4"));
  CHECK_FALSE(ParseGeoBox("1,2,3,90.5"));
  CHECK_FALSE(ParseGeoBox("1,2,3,inf"));
  CHECK_FALSE(ParseGeoBox("1,2,3,nan"));
  CHECK_FALSE(ParseGeoBox("a,2,3,4"));
}

TEST_CASE("near: latitude,longitude within range") {
  auto p = ParseGeoPoint("43.2965,5.3698");
  REQUIRE(p);
  CHECK(p->latitude == 43.2965);
  CHECK(p->longitude == 5.3698);
  CHECK_FALSE(ParseGeoPoint("91,0"));
  CHECK_FALSE(ParseGeoPoint("0,181"));
  CHECK_FALSE(ParseGeoPoint("43"));
  CHECK_FALSE(ParseGeoPoint("43,5,"));
}

TEST_CASE("distance in metres; the circle's box holds the circle") {
  // Marseille (Vieux-Port) to Aix-en-Provence: about 25.5 km.
  const GeoPoint marseille{43.2965, 5.3698}, aix{43.5297, 5.4474};
  const double d = DistanceMetres(marseille, aix);
  CHECK(d > 25'000);
  CHECK(d < 27'000);
  CHECK(DistanceMetres(marseille, marseille) == 0);
  const GeoCircle circle{marseille, 30'000};
  const GeoBox box = BoundingBoxOf(circle);
  CHECK(box.min_latitude < aix.latitude);
  CHECK(box.max_latitude > aix.latitude);
  // Due east and due north at the radius are inside the box.
  for (double bearing_lon : {-1.0, 1.0}) {
    double lon = marseille.longitude;
    while (DistanceMetres(marseille, {marseille.latitude, lon}) < circle.radius_m)
      lon += bearing_lon * 1e-4;
    CHECK(lon >= box.min_longitude - 1e-3);
    CHECK(lon <= box.max_longitude + 1e-3);
  }
  const GeoBox polar = BoundingBoxOf({{89.9, 0}, 50'000});
  CHECK(polar.min_longitude == -180);
  CHECK(polar.max_longitude == 180);
}

TEST_CASE("one cell size and one cap for the map clusters of node and hub") {
  CHECK(ClusterCellDegrees(0) == 45);
  CHECK(ClusterCellDegrees(3) == 360.0 / 8 / 8);
  CHECK(ClusterCellDegrees(25) == ClusterCellDegrees(kMaxZoom));
  CHECK(ClusterCellDegrees(-1) == ClusterCellDegrees(0));
  CHECK(kMaxClusters == 5'000);
}

TEST_CASE("coordinates in exports: five decimals") {
  CHECK(FormatCoordinate(5.3698) == "5.36980");
  CHECK(FormatCoordinate(-0.5) == "-0.50000");
}

TEST_CASE("search filters: codes, words, freshness by the side's rules") {
  SearchFilters f;
  CHECK_FALSE(Filters({{"q", "épicerie"},
                       {"department", "13"},
                       {"commune", "2A004"},
                       {"family", "esus"},
                       {"activity", "alimentation"},
                       {"freshness", "fresh"}},
                      f));
  CHECK(f.text == "épicerie");
  CHECK(f.department == "13");
  CHECK(f.commune == "2A004");
  CHECK(f.family == "esus");
  CHECK(f.activity == "alimentation");
  CHECK(f.freshness == "fresh");
  CHECK_FALSE(f.region);

  SearchFilters empty;
  CHECK_FALSE(Filters({{"q", ""}, {"department", ""}}, empty));
  CHECK_FALSE(empty.text);
  CHECK_FALSE(empty.department);

  SearchFilters bad;
  auto e = Filters({{"q", std::string(201, 'a')}}, bad);
  REQUIRE(e);
  CHECK(e->field == "q");
  CHECK(e->code == "too_long");
  e = Filters({{"commune", "13'; DROP"}}, bad);
  REQUIRE(e);
  CHECK(e->field == "commune");
  CHECK(e->code == "invalid_parameter");
  e = Filters({{"freshness", "hidden"}}, bad);
  REQUIRE(e);
  CHECK(e->field == "freshness");
  CHECK(e->message == "Fraîcheur : fresh ou to_confirm.");

  // The hub reads region and legal_form; the node leaves them to nobody.
  SearchFilters hub, node;
  const SearchParamsRules hub_rules{.region_and_legal_form = true};
  CHECK_FALSE(Filters({{"region", "93"}, {"legal_form", "scop"}}, hub, hub_rules));
  CHECK(hub.region == "93");
  CHECK(hub.legal_form == "scop");
  CHECK_FALSE(Filters({{"region", "93"}, {"legal_form", "scop"}}, node));
  CHECK_FALSE(node.region);
  CHECK_FALSE(node.legal_form);
}

TEST_CASE("search filters: bbox, near and radius_km in metres") {
  SearchFilters f;
  CHECK_FALSE(Filters({{"bbox", "5.3,43.2,5.5,43.4"}, {"near", "43.3,5.4"}}, f));
  REQUIRE(f.box);
  CHECK(f.box->min_latitude == 43.2);
  REQUIRE(f.near);
  CHECK(f.near->radius_m == kDefaultRadiusMetres);
  SearchFilters r;
  CHECK_FALSE(Filters({{"near", "43.3,5.4"}, {"radius_km", "2.5"}}, r));
  CHECK(r.near->radius_m == 2'500);
  CHECK_FALSE(Filters({{"near", "43.3,5.4"}, {"radius_km", "500"}}, r));

  SearchFilters bad;
  CHECK(Filters({{"bbox", "1,2,3"}}, bad)->field == "bbox");
  CHECK(Filters({{"near", "91,0"}}, bad)->field == "near");
  CHECK(Filters({{"near", "43,5"}, {"radius_km", "0"}}, bad)->field == "radius_km");
  CHECK(Filters({{"near", "43,5"}, {"radius_km", "600"}}, bad)->field == "radius_km");
  // The node used to ignore a radius without its centre; both sides refuse it now.
  CHECK(Filters({{"radius_km", "6"}}, bad)->field == "near");
}

TEST_CASE("the box a store pre-filters on: bbox narrowed to the circle's box") {
  SearchFilters f;
  CHECK_FALSE(SearchBox(f));
  f.box = GeoBox{0, 40, 10, 50};
  CHECK(SearchBox(f)->max_latitude == 50);
  f.near = GeoCircle{{43.3, 5.4}, 10'000};
  auto box = SearchBox(f);
  REQUIRE(box);
  CHECK(box->max_latitude < 43.4);
  CHECK(box->min_longitude > 5.2);
  f.box.reset();
  CHECK(SearchBox(f)->min_latitude < 43.3);
}

TEST_CASE("page, per_page and zoom") {
  PageRequest page;
  CHECK_FALSE(ReadPageRequest(From({}), 100, 20, page));
  CHECK(page.page == 1);
  CHECK(page.per_page == 20);
  CHECK(page.offset() == 0);
  CHECK_FALSE(ReadPageRequest(From({{"page", "3"}, {"per_page", "10"}}), 100, 20, page));
  CHECK(page.offset() == 20);
  CHECK(ReadPageRequest(From({{"page", "0"}}), 100, 20, page)->field == "page");
  CHECK(ReadPageRequest(From({{"page", "+1"}}), 100, 20, page)->field == "page");
  CHECK(ReadPageRequest(From({{"per_page", "101"}}), 100, 20, page)->message ==
        "per_page : de 1 à 100.");
  int zoom = -1;
  CHECK_FALSE(ReadZoom(From({}), 6, zoom));
  CHECK(zoom == 6);
  CHECK(ReadZoom(From({}), std::nullopt, zoom)->field == "zoom");  // the node's: required
  CHECK(ReadZoom(From({{"zoom", "21"}}), 6, zoom)->field == "zoom");
  CHECK_FALSE(ReadZoom(From({{"zoom", "20"}}), std::nullopt, zoom));
  CHECK(zoom == 20);
}

TEST_CASE("a query parameter given empty counts as absent, on both APIs (QueryParam)") {
  const QueryMap query = {{"q", ""}, {"sort", "name"}, {"page", "2"}, {"page", "3"}};
  const QueryLookup lookup = LookupIn(query);
  CHECK(lookup("q") == "");
  CHECK_FALSE(QueryParam(lookup, "q"));
  CHECK_FALSE(QueryParam(lookup, "near"));
  CHECK(QueryParam(lookup, "sort") == "name");
  CHECK(QueryParam(lookup, "page") == "2");  // a repeated name: its first value
  SearchFilters f;
  CHECK_FALSE(ReadSearchFilters(lookup, {}, f));
  CHECK_FALSE(f.text);
}
