#include "node/service/search_service.h"

#include <cmath>
#include <sstream>

#include "core/search_query.h"
#include "node/domain/csv.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative_json.h"
#include "node/service/journal.h"
#include "node/store/search_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

std::optional<std::string> Param(const QueryParams& query, const char* key) {
  auto it = query.find(key);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::vector<double>> Numbers(const std::string& text, std::size_t count) {
  std::vector<double> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    try {
      std::size_t used = 0;
      double v = std::stod(item, &used);
      if (used != item.size() || !std::isfinite(v)) return std::nullopt;
      out.push_back(v);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (out.size() != count) return std::nullopt;
  return out;
}

std::optional<long> Integer(const std::string& text) {
  try {
    std::size_t used = 0;
    long v = std::stol(text, &used);
    if (used != text.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool IsCode(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// Reads the filter parameters; a Failure names the bad parameter.
Result<SearchFilter> ReadFilter(const QueryParams& query, bool staff) {
  SearchFilter f;
  if (auto q = Param(query, "q")) {
    if (q->size() > 200) return Failure::Invalid("too_long", "Recherche trop longue (200 caractères au plus).", "q");
    f.tsquery = PrefixTsQuery(*q);
  }
  struct CodeParam {
    const char* key;
    std::optional<std::string>* target;
  } codes[] = {{"department", &f.department}, {"commune", &f.commune}, {"family", &f.family},
               {"activity", &f.activity}};
  for (auto& code : codes) {
    if (auto v = Param(query, code.key)) {
      if (!IsCode(*v)) return Failure::Invalid("invalid_parameter", std::string("Code invalide pour « ") + code.key + " ».", code.key);
      *code.target = *v;
    }
  }
  f.freshness = "visible";
  if (auto status = Param(query, "status")) {
    if (!staff) {
      return Failure::Of(FailureKind::kForbidden, "forbidden",
                         "Le filtre par statut est réservé à l'équipe du nœud ; la carte publique ne montre que les initiatives admises.");
    }
    f.statuses.clear();
    std::stringstream s(*status);
    std::string item;
    while (std::getline(s, item, ',')) {
      if (!InitiativeStatusFromName(item)) return Failure::Invalid("invalid_parameter", "Statut inconnu : « " + item.substr(0, 40) + " ».", "status");
      f.statuses.push_back(item);
    }
    f.freshness.reset();
  } else if (staff) {
    f.statuses = {"pending", "changes_requested", "admitted", "rejected", "suspended", "withdrawn"};
    f.freshness.reset();
  }
  if (auto freshness = Param(query, "freshness")) {
    if (*freshness != "visible" && !FreshnessFromName(*freshness)) {
      return Failure::Invalid("invalid_parameter", "Fraîcheur : fresh, to_confirm, hidden ou visible.", "freshness");
    }
    if (*freshness == "hidden" && !staff) {
      return Failure::Of(FailureKind::kForbidden, "forbidden", "Les fiches masquées sont réservées à l'équipe du nœud.");
    }
    f.freshness = *freshness;
  }
  if (auto bbox = Param(query, "bbox")) {
    auto v = Numbers(*bbox, 4);
    if (!v || (*v)[0] > (*v)[2] || (*v)[1] > (*v)[3] || std::abs((*v)[1]) > 90 || std::abs((*v)[3]) > 90) {
      return Failure::Invalid("invalid_parameter", "bbox attendu : minLon,minLat,maxLon,maxLat.", "bbox");
    }
    f.bbox = BoundingBox{(*v)[0], (*v)[1], (*v)[2], (*v)[3]};
  }
  if (auto near = Param(query, "near")) {
    auto v = Numbers(*near, 2);
    if (!v || std::abs((*v)[0]) > 90 || std::abs((*v)[1]) > 180) {
      return Failure::Invalid("invalid_parameter", "near attendu : latitude,longitude.", "near");
    }
    f.near_latitude = (*v)[0];
    f.near_longitude = (*v)[1];
    f.radius_km = 10;
    if (auto radius = Param(query, "radius_km")) {
      auto r = Numbers(*radius, 1);
      if (!r || (*r)[0] <= 0 || (*r)[0] > 500) {
        return Failure::Invalid("invalid_parameter", "radius_km : de 0 à 500 km.", "radius_km");
      }
      f.radius_km = (*r)[0];
    }
  }
  return f;
}

json PublicView(const Initiative& i, UnixSeconds now) {
  json j = InitiativePublicJson(i);
  j["id"] = i.id;
  j["commune_name"] = i.commune_name;
  j["freshness"] = std::string(FreshnessName(FreshnessAt(i, now)));
  return j;
}

}  // namespace

Result<json> SearchService::Search(const QueryParams& query, bool staff) {
  auto filter = ReadFilter(query, staff);
  if (!filter.ok()) return filter.failure();
  long page = 1, per_page = 20;
  if (auto p = Param(query, "page")) {
    auto v = Integer(*p);
    if (!v || *v < 1 || *v > 100000) return Failure::Invalid("invalid_parameter", "page : entier à partir de 1.", "page");
    page = *v;
  }
  if (auto p = Param(query, "per_page")) {
    auto v = Integer(*p);
    if (!v || *v < 1 || *v > 100) return Failure::Invalid("invalid_parameter", "per_page : de 1 à 100.", "per_page");
    per_page = *v;
  }
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto result = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return SearchStore(txn).Search(filter.value(), now_millis, static_cast<std::size_t>(per_page),
                                   static_cast<std::size_t>((page - 1) * per_page));
  });
  json items = json::array();
  for (const auto& hit : result.hits) {
    json item = PublicView(hit.initiative, now);
    if (staff) item["status"] = std::string(InitiativeStatusName(hit.initiative.status));
    if (hit.distance_km) item["distance_km"] = std::round(*hit.distance_km * 100) / 100;
    items.push_back(std::move(item));
  }
  return json{{"total", result.total}, {"page", page}, {"per_page", per_page}, {"items", items}};
}

Result<json> SearchService::Clusters(const QueryParams& query) {
  auto filter = ReadFilter(query, false);
  if (!filter.ok()) return filter.failure();
  if (!filter.value().bbox) return Failure::Invalid("required", "bbox est obligatoire pour les regroupements.", "bbox");
  auto zoom_text = Param(query, "zoom");
  auto zoom = zoom_text ? Integer(*zoom_text) : std::optional<long>();
  if (!zoom || *zoom < 0 || *zoom > 20) return Failure::Invalid("invalid_parameter", "zoom : de 0 à 20.", "zoom");
  // Cells of 32 pixels on 256-pixel tiles: 8 cells per tile width.
  const double cell = 360.0 / std::pow(2.0, static_cast<double>(*zoom)) / 8.0;
  const UnixMillis now = context_.clock.NowMillis();
  auto clusters = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return SearchStore(txn).Clusters(filter.value(), now, cell);
  });
  json out = json::array();
  for (const auto& c : clusters) {
    json item = {{"count", c.count},
                 {"latitude", std::round(c.latitude * 1e5) / 1e5},
                 {"longitude", std::round(c.longitude * 1e5) / 1e5}};
    if (c.initiative) item["id"] = *c.initiative;
    if (c.name) item["name"] = *c.name;
    out.push_back(std::move(item));
  }
  return json{{"zoom", *zoom}, {"cell_degrees", cell}, {"clusters", out}};
}

std::string SearchService::ExportCsv() {
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto initiatives = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).PublicMap(now_millis); });
  std::string out = CsvLine({"id", "name", "family", "legal_form", "activities", "description", "address",
                             "postcode", "commune", "commune_name", "department", "region", "latitude",
                             "longitude", "email", "phone", "website", "siret", "employer", "charter_version",
                             "confirmed_at", "valid_until", "freshness"});
  for (const auto& i : initiatives) {
    const auto& f = i.fields;
    std::string activities;
    for (const auto& a : f.activities) activities += (activities.empty() ? "" : "|") + a;
    char lat[32], lon[32];
    std::snprintf(lat, sizeof lat, "%.5f", f.latitude);
    std::snprintf(lon, sizeof lon, "%.5f", f.longitude);
    out += CsvLine({i.id, f.name, f.family, f.legal_form, activities, f.description, f.address, f.postcode,
                    f.commune, i.commune_name, f.department, f.region, lat, lon, f.email.value_or(""),
                    f.phone.value_or(""), f.website.value_or(""), f.siret.value_or(""),
                    f.employer ? "oui" : "non", std::to_string(i.charter_version), FormatRfc3339(i.confirmed_at),
                    FormatRfc3339(i.valid_until), std::string(FreshnessName(FreshnessAt(i, now)))});
  }
  return out;
}

json SearchService::ExportGeoJson() {
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto initiatives = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).PublicMap(now_millis); });
  json features = json::array();
  for (const auto& i : initiatives) {
    features.push_back({{"type", "Feature"},
                        {"id", i.id},
                        {"geometry", {{"type", "Point"}, {"coordinates", {i.fields.longitude, i.fields.latitude}}}},
                        {"properties", PublicView(i, now)}});
  }
  return json{{"type", "FeatureCollection"}, {"features", features}};
}

}  // namespace ess::node
