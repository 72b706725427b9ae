#include "node/domain/map_import.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/text_fold.h"
#include "node/domain/import_columns.h"

namespace ess::node {

using nlohmann::json;

namespace {

// Deeper values are not read (no format nests its fields further).
constexpr int kMaxDepth = 6;

// An import field and the paths a format gives it, the first present wins.
struct FormatColumn {
  std::string_view field;
  std::vector<std::string_view> paths;
};

// The fields each format names (GoGoCarto: what its importer reads and its exports write; the
// JSON-LD: the keys of our @context, core/public_feeds.cpp). A GeoJSON feature's properties
// keep their own names, its point gives latitude and longitude.
const std::vector<FormatColumn>& FormatColumns(ImportFormat format) {
  static const std::vector<FormatColumn> kGoGoCarto = {
      {"name", {"name", "title"}},
      {"description", {"description"}},
      {"address", {"address.streetAddress"}},
      {"postcode", {"address.postalCode"}},
      {"commune", {"address.addressLocality"}},
      {"latitude", {"geo.latitude", "lat", "latitude"}},
      {"longitude", {"geo.longitude", "lng", "long", "longitude"}},
      {"email", {"email"}},
      {"phone", {"telephone", "phone"}},
      {"website", {"website", "url"}},
      {"siret", {"siret"}}};
  static const std::vector<FormatColumn> kJsonLd = {
      {"name", {"name"}},
      {"description", {"description"}},
      {"family", {"family"}},
      {"legal_form", {"legalFormCode"}},
      {"activities", {"activityCode"}},
      {"address", {"address.streetAddress"}},
      {"postcode", {"address.postalCode"}},
      {"commune", {"communeCode", "address.addressLocality"}},
      {"latitude", {"location.geo.latitude", "geo.latitude"}},
      {"longitude", {"location.geo.longitude", "geo.longitude"}},
      {"email", {"email"}},
      {"phone", {"telephone"}},
      {"website", {"url"}},
      {"siret", {"siret"}},
      {"employer", {"employer"}}};
  static const std::vector<FormatColumn> kGeoJson = {{"latitude", {"latitude"}},
                                                     {"longitude", {"longitude"}}};
  switch (format) {
    case ImportFormat::kGoGoCarto: return kGoGoCarto;
    case ImportFormat::kJsonLd: return kJsonLd;
    default: return kGeoJson;
  }
}

Failure Shape(const std::string& message) {
  return Failure::Invalid("invalid_document", message, "document");
}

std::string ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "oui" : "non";
  if (v.is_number()) return v.dump();
  return "";
}

// A list's text: its values (or its objects' "name"), joined.
std::string ListText(const json& list, char separator) {
  std::string out;
  for (const auto& v : list) {
    std::string text = v.is_object() ? ScalarText(v.value("name", json())) : ScalarText(v);
    if (text.empty()) continue;
    if (!out.empty()) out.push_back(separator);
    out += text;
  }
  return out;
}

// Every value of `item` by its path ("address.postalCode"), in the document's order.
void Flatten(const json& value, const std::string& path, char separator, int depth,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    if (depth >= kMaxDepth) return;
    for (const auto& [key, child] : value.items()) {
      if (key.starts_with("@")) continue;  // @id, @type, @context: not fields
      Flatten(child, path.empty() ? key : path + "." + key, separator, depth + 1, out);
    }
  } else if (value.is_array()) {
    out.emplace_back(path, ListText(value, separator));
  } else if (!value.is_null()) {
    out.emplace_back(path, ScalarText(value));
  }
}

// The category labels of a GoGoCarto item: names, or objects with a name.
std::vector<std::string> CategoryLabels(const json& item) {
  std::vector<std::string> labels;
  auto it = item.find("categories");
  if (it == item.end() || !it->is_array()) return labels;
  for (const auto& c : *it) {
    std::string label = c.is_object() ? ScalarText(c.value("name", json())) : ScalarText(c);
    if (!label.empty()) labels.push_back(std::move(label));
  }
  return labels;
}

struct Categorised {
  std::string family, legal_form;
  std::vector<std::string> activities;  // codes, then the labels matching nothing
};

const std::vector<ReferentialEntry>* ListOfCode(const Referential& r, const std::string& code) {
  if (r.Family(code)) return &r.families();
  if (r.LegalForm(code)) return &r.legal_forms();
  if (r.Activity(code)) return &r.activities();
  return nullptr;
}

Categorised Categorise(const std::vector<std::string>& labels, const Referential& referential,
                       const std::map<std::string, std::string>& chosen) {
  Categorised out;
  for (const std::string& label : labels) {
    std::string code;
    const std::vector<ReferentialEntry>* list = nullptr;
    if (auto c = chosen.find(FoldForSearch(label)); c != chosen.end()) {
      code = c->second;
      list = ListOfCode(referential, code);
    } else {
      for (const auto* candidate :
           {&referential.families(), &referential.legal_forms(), &referential.activities()}) {
        if (auto matched = MatchReferentialCode(*candidate, label)) {
          code = *matched;
          list = candidate;
          break;
        }
      }
    }
    if (list == &referential.families()) {
      if (out.family.empty()) out.family = code;
    } else if (list == &referential.legal_forms()) {
      if (out.legal_form.empty()) out.legal_form = code;
    } else {
      // An activity, or a label nothing matches: the row's check names it.
      const std::string& value = list ? code : label;
      if (std::find(out.activities.begin(), out.activities.end(), value) == out.activities.end())
        out.activities.push_back(value);
    }
  }
  return out;
}

// The document's items, or the shape failure.
Result<std::vector<json>> Items(const json& doc, ImportFormat format) {
  std::vector<json> items;
  switch (format) {
    case ImportFormat::kGoGoCarto: {
      const json* list = doc.is_array() ? &doc : nullptr;
      if (doc.is_object() && doc.contains("data") && doc["data"].is_array()) list = &doc["data"];
      if (!list) {
        return Shape(
            "Un export GoGoCarto est une liste JSON d'éléments, ou un objet dont « data » est "
            "cette liste.");
      }
      items.assign(list->begin(), list->end());
      break;
    }
    case ImportFormat::kGeoJson: {
      if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
          !doc.contains("features") || !doc["features"].is_array()) {
        return Shape("Un fichier GeoJSON est une FeatureCollection (« type », « features »).");
      }
      std::size_t n = 0;
      for (const auto& feature : doc["features"]) {
        ++n;
        if (!feature.is_object())
          return Shape("L'élément " + std::to_string(n) + " n'est pas une Feature.");
        json item = feature.value("properties", json::object());
        if (!item.is_object()) item = json::object();
        if (feature.contains("id") && !item.contains("id")) item["id"] = feature["id"];
        const json& geometry = feature.value("geometry", json());
        if (geometry.is_object()) {
          const json& xy = geometry.value("coordinates", json());
          if (geometry.value("type", "") != "Point" || !xy.is_array() || xy.size() < 2 ||
              !xy[0].is_number() || !xy[1].is_number()) {
            return Shape("L'élément " + std::to_string(n) +
                         " n'est pas un point (geometry de type Point, [longitude, latitude]).");
          }
          item["longitude"] = xy[0];
          item["latitude"] = xy[1];
        }
        items.push_back(std::move(item));
      }
      return items;
    }
    case ImportFormat::kJsonLd: {
      if (doc.is_array()) {
        items.assign(doc.begin(), doc.end());
      } else if (doc.is_object() && doc.contains("dataFeedElement") &&
                 doc["dataFeedElement"].is_array()) {
        items.assign(doc["dataFeedElement"].begin(), doc["dataFeedElement"].end());
      } else if (doc.is_object() && doc.contains("@graph") && doc["@graph"].is_array()) {
        items.assign(doc["@graph"].begin(), doc["@graph"].end());
      } else {
        return Shape(
            "Un flux JSON-LD est un DataFeed (« dataFeedElement »), un « @graph » ou une liste "
            "d'éléments.");
      }
      break;
    }
    case ImportFormat::kCsv: return Shape("Un fichier CSV n'est pas un document JSON.");
  }
  for (std::size_t n = 0; n < items.size(); ++n) {
    if (!items[n].is_object()) {
      return Shape("L'élément " + std::to_string(n + 1) + " n'est pas un objet JSON.");
    }
  }
  return items;
}

}  // namespace

std::optional<ImportFormat> ParseImportFormat(std::string_view text) {
  if (text == "csv") return ImportFormat::kCsv;
  if (text == "gogocarto") return ImportFormat::kGoGoCarto;
  if (text == "geojson") return ImportFormat::kGeoJson;
  if (text == "jsonld") return ImportFormat::kJsonLd;
  return std::nullopt;
}

std::string_view ImportFormatName(ImportFormat format) {
  switch (format) {
    case ImportFormat::kCsv: return "csv";
    case ImportFormat::kGoGoCarto: return "gogocarto";
    case ImportFormat::kGeoJson: return "geojson";
    case ImportFormat::kJsonLd: return "jsonld";
  }
  return "";
}

Result<MapDocumentTable> MapDocumentToTable(std::string_view document, ImportFormat format,
                                            const Referential& referential,
                                            const std::map<std::string, std::string>& categories,
                                            char list_separator, std::size_t max_items) {
  std::map<std::string, std::string> chosen;  // folded label -> code
  for (const auto& [label, code] : categories) {
    if (!ListOfCode(referential, code)) {
      return Failure::Invalid("unknown_code",
                              "« " + code +
                                  " » n'est ni une famille, ni une forme juridique, ni une "
                                  "activité du référentiel.",
                              "categories." + label);
    }
    chosen[FoldForSearch(label)] = code;
  }
  json doc;
  try {
    doc = json::parse(document.begin(), document.end());
  } catch (const json::parse_error& e) {
    return Shape("Document illisible : ce n'est pas du JSON (octet " + std::to_string(e.byte) +
                 ").");
  }
  auto items = Items(doc, format);
  if (!items.ok()) return items.failure();
  if (items.value().empty()) {
    return Failure::Invalid("empty_csv", "Le document ne contient aucun élément.", "document");
  }
  if (items.value().size() > max_items) {
    return Failure::Invalid("too_many_rows",
                            "Au plus " + std::to_string(max_items) + " éléments par import.",
                            "document");
  }

  // Every item's values by path, its categories and its id at the source.
  std::vector<std::map<std::string, std::string>> values;
  std::vector<std::string> paths;  // in the order first met
  std::vector<std::optional<Categorised>> categorised;
  MapDocumentTable out;
  for (const json& item : items.value()) {
    std::vector<std::pair<std::string, std::string>> flat;
    Flatten(item, "", list_separator, 0, flat);
    std::map<std::string, std::string> by_path;
    for (auto& [path, text] : flat) {
      if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
      by_path[path] = std::move(text);
    }
    values.push_back(std::move(by_path));
    const auto labels =
        format == ImportFormat::kJsonLd ? std::vector<std::string>{} : CategoryLabels(item);
    categorised.push_back(labels.empty() ? std::nullopt
                                         : std::optional(Categorise(labels, referential, chosen)));
    json id = item.contains("id") ? item["id"] : item.value("@id", json());
    out.source_ids.push_back(ScalarText(id));
  }

  // The header: the format's fields present, the categories' fields, then every other path.
  struct Column {
    std::string name;
    std::vector<std::string> paths;  // empty: from the categories
  };
  std::vector<Column> columns;
  std::vector<std::string> claimed;
  const auto present = [&](const std::string& path) {
    return std::find(paths.begin(), paths.end(), path) != paths.end();
  };
  for (const FormatColumn& c : FormatColumns(format)) {
    Column column{std::string(c.field), {}};
    for (std::string_view p : c.paths) {
      if (present(std::string(p))) column.paths.emplace_back(p);
    }
    if (column.paths.empty()) continue;
    claimed.insert(claimed.end(), column.paths.begin(), column.paths.end());
    columns.push_back(std::move(column));
  }
  const bool any_categories = std::any_of(categorised.begin(), categorised.end(),
                                          [](const auto& c) { return c.has_value(); });
  if (any_categories) {
    for (const char* field : {"family", "legal_form", "activities"}) {
      if (std::none_of(columns.begin(), columns.end(),
                       [&](const Column& c) { return c.name == field; }) &&
          !present(field)) {
        columns.push_back({field, {}});
      }
    }
  }
  for (const std::string& path : paths) {
    if (std::find(claimed.begin(), claimed.end(), path) != claimed.end()) continue;
    columns.push_back({path, {path}});
  }

  CsvTable& table = out.table;
  CsvRow header;
  for (const Column& c : columns) header.push_back(c.name);
  table.rows.push_back(std::move(header));
  table.lines.push_back(0);
  for (std::size_t n = 0; n < values.size(); ++n) {
    CsvRow row;
    for (const Column& c : columns) {
      std::string cell;
      for (const std::string& p : c.paths) {
        if (auto v = values[n].find(p); v != values[n].end() && !v->second.empty()) {
          cell = v->second;
          break;
        }
      }
      if (c.paths.empty() && categorised[n]) {
        const Categorised& k = *categorised[n];
        if (c.name == "family") cell = k.family;
        if (c.name == "legal_form") cell = k.legal_form;
        if (c.name == "activities") cell = CsvList(k.activities, list_separator);
      }
      row.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(row));
    table.lines.push_back(n + 1);
  }
  return out;
}

}  // namespace ess::node
