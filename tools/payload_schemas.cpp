// Writes the published JSON Schemas (draft 2020-12) of docs/schemas/ from the core payload
// schema (core/payload_schema.h) and the structure of the common referential, so that what
// is published is what the code checks:
//   payload_schemas <dir>          writes <id>.schema.json for every kind, referential.schema.json
//                                  and README.md into <dir>
//   payload_schemas --check <dir>  exit status 1, naming the files, if <dir> differs
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/field_rules.h"
#include "core/payload_schema.h"

namespace {

using ess::FieldSpec;
using ess::JsonType;
using ess::PayloadSchema;
using nlohmann::ordered_json;

constexpr const char* kDialect = "https://json-schema.org/draft/2020-12/schema";

// 90 rather than 90.0: integral bounds print as integers.
ordered_json Number(double value) {
  if (value == static_cast<double>(static_cast<long long>(value))) {
    return static_cast<long long>(value);
  }
  return value;
}

const char* CodeListName(ess::CodeList list) {
  switch (list) {
    case ess::CodeList::kNone: return "";
    case ess::CodeList::kFamily: return "families";
    case ess::CodeList::kLegalForm: return "legal_forms";
    case ess::CodeList::kActivity: return "activities";
    case ess::CodeList::kCommune: return "communes";
    case ess::CodeList::kDepartment: return "departments";
    case ess::CodeList::kRegion: return "regions";
  }
  return "";
}

ordered_json FieldSchema(const FieldSpec& f) {
  ordered_json s;
  std::string description = f.description;
  if (f.codes != ess::CodeList::kNone) {
    description += std::string(description.empty() ? "" : " ") +
                   "Must be a code of the "
                   "referential's `" +
                   CodeListName(f.codes) +
                   "` (checked by the code, not by "
                   "this schema).";
  }
  if (!description.empty()) s["description"] = description;
  switch (f.type) {
    case JsonType::kString:
      s["type"] = "string";
      if (f.min_length > 0) s["minLength"] = f.min_length;
      if (f.max_length) s["maxLength"] = *f.max_length;
      if (!f.values.empty()) s["enum"] = f.values;
      if (auto pattern = ess::TextSyntaxPattern(f.syntax); !pattern.empty()) {
        s["pattern"] = std::string(pattern);
      }
      break;
    case JsonType::kInteger:
    case JsonType::kNumber:
      s["type"] = f.type == JsonType::kInteger ? "integer" : "number";
      if (f.minimum) s["minimum"] = Number(*f.minimum);
      if (f.maximum) s["maximum"] = Number(*f.maximum);
      if (f.exclusive_maximum) s["exclusiveMaximum"] = Number(*f.exclusive_maximum);
      break;
    case JsonType::kBoolean: s["type"] = "boolean"; break;
    case JsonType::kArray:
      s["type"] = "array";
      if (f.min_length > 0) s["minItems"] = f.min_length;
      if (f.max_length) s["maxItems"] = *f.max_length;
      if (f.unique_items) s["uniqueItems"] = true;
      if (!f.item.empty()) s["items"] = FieldSchema(f.item[0]);
      break;
    case JsonType::kObject: {
      s["type"] = "object";
      ordered_json properties = ordered_json::object();
      ordered_json required = ordered_json::array();
      for (const FieldSpec& sub : f.fields) {
        properties[sub.name] = FieldSchema(sub);
        if (sub.required) required.push_back(sub.name);
      }
      if (!required.empty()) s["required"] = required;
      s["properties"] = properties;
      break;
    }
  }
  return s;
}

ordered_json PayloadJsonSchema(const PayloadSchema& schema) {
  FieldSpec object;
  object.type = JsonType::kObject;
  object.fields = schema.fields;
  ordered_json s;
  s["$schema"] = kDialect;
  s["title"] = schema.title;
  s["description"] = schema.description +
                     " Generated from core/payload_schema.cpp by tools/payload_schemas; do not "
                     "edit.";
  if (!schema.code_only_rules.empty()) {
    std::string rules = "Also checked by the code, not expressible here:";
    for (const auto& r : schema.code_only_rules) rules += " " + r;
    s["$comment"] = rules;
  }
  const ordered_json body = FieldSchema(object);
  for (const auto& [key, value] : body.items()) s[key] = value;
  if (schema.inside_france) {
    ordered_json zones = ordered_json::array();
    for (const ess::ZoneBox& box : ess::FranceZoneBoxes()) {
      zones.push_back({{"title", box.name},
                       {"properties",
                        {{"latitude",
                          {{"type", "number"},
                           {"minimum", Number(box.min_latitude)},
                           {"maximum", Number(box.max_latitude)}}},
                         {"longitude",
                          {{"type", "number"},
                           {"minimum", Number(box.min_longitude)},
                           {"maximum", Number(box.max_longitude)}}}}}});
    }
    s["anyOf"] = zones;
  }
  return s;
}

ordered_json CodeEntries(const char* what, const char* label, const char* parent,
                         const char* parent_about) {
  ordered_json item = {{"type", "object"}};
  ordered_json required = {"code", label};
  ordered_json properties = {
      {"code", {{"type", "string"}, {"minLength", 1}}},
      {label, {{"type", "string"}}},
  };
  if (parent) {
    required.push_back(parent);
    properties[parent] = {{"type", "string"}, {"description", parent_about}};
  }
  item["required"] = required;
  item["properties"] = properties;
  return {{"description", what}, {"type", "array"}, {"items", item}};
}

// A legal form's or an activity's ESSGlobal concept (docs/interop.md).
ordered_json WithEssGlobal(ordered_json entries) {
  entries["items"]["properties"]["essglobal"] = {
      {"type", "string"},
      {"pattern", "^http://purl\\.org/essglobal/standard/"},
      {"description",
       "IRI of the ESSGlobal (RIPESS) SKOS concept this code maps to, when one fits."}};
  return entries;
}

ordered_json ReferentialJsonSchema() {
  // The structure core/referential.cpp reads (docs/referential.md). The code itself needs
  // only `version` and a `code` in every entry; the other required fields are what
  // deploy/referential/build-referential.mjs always writes and what the pages show.
  ordered_json communes_item = {
      {"type", "object"},
      {"required",
       {"code", "name", "department", "region", "postcodes", "latitude", "longitude",
        "position_source"}},
      {"properties",
       {{"code",
         {{"type", "string"},
          {"pattern", std::string(ess::TextSyntaxPattern(ess::TextSyntax::kInseeCode))}}},
        {"name", {{"type", "string"}}},
        {"department", {{"type", "string"}, {"description", "Code of one of `departments`."}}},
        {"region", {{"type", "string"}, {"description", "Code of one of `regions`."}}},
        {"postcodes",
         {{"type", "array"},
          {"items",
           {{"type", "string"},
            {"pattern", std::string(ess::TextSyntaxPattern(ess::TextSyntax::kPostcode))}}}}},
        {"latitude", {{"type", "number"}, {"minimum", -90}, {"maximum", 90}}},
        {"longitude", {{"type", "number"}, {"minimum", -180}, {"maximum", 180}}},
        {"position_source",
         {{"enum", {"geonames", "postcode", "intercommunality", "arrondissement", "department"}},
          {"description",
           "Where the position comes from: GeoNames (exact), else the approximation used "
           "(docs/decisions/0007-commune-positions.md)."}}},
        {"approximate",
         {{"const", true},
          {"description",
           "Present exactly when `position_source` is not "
           "\"geonames\"."}}}}},
      {"dependentRequired", {{"latitude", {"longitude"}}, {"longitude", {"latitude"}}}},
      {"if", {{"properties", {{"position_source", {{"const", "geonames"}}}}}}},
      {"then", {{"properties", {{"approximate", false}}}}},
      {"else",
       {{"required", {"approximate"}}, {"properties", {{"approximate", {{"const", true}}}}}}}};
  ordered_json s;
  s["$schema"] = kDialect;
  s["title"] = "common referential";
  s["description"] =
      "The common referential the hub serves and node and hub check payload codes against "
      "(docs/referential.md). Codes are unique within each list; a legal form's `family` is "
      "a code of `families`, a department's `region` a code of `regions` (checked by "
      "build-referential.mjs, not expressible here). Generated by tools/payload_schemas; do "
      "not edit.";
  s["type"] = "object";
  s["required"] = {"version", "families",    "legal_forms", "activities",
                   "regions", "departments", "communes"};
  s["properties"] = {
      {"version",
       {{"type", "string"},
        {"minLength", 1},
        {"description", "ess-<codes version>+territoires-<package version>"}}},
      {"families", CodeEntries("ESS families.", "label", nullptr, nullptr)},
      {"legal_forms", WithEssGlobal(CodeEntries("Legal forms, each in one family.", "label",
                                                "family", "Code of one of `families`."))},
      {"activities", WithEssGlobal(CodeEntries("Activities, each with a theme.", "label", "theme",
                                               "A theme for grouping activities."))},
      {"regions", CodeEntries("The 18 INSEE regions (13 metropolitan, 5 overseas).", "name",
                              nullptr, nullptr)},
      {"departments",
       CodeEntries("INSEE departments.", "name", "region", "Code of one of `regions`.")},
      {"communes",
       {{"description",
         "Communes and municipal arrondissements of the 18 regions with their INSEE codes, "
         "postcodes and a position each: GeoNames' for communes of 1,000 inhabitants or more, "
         "an approximation marked `approximate` for the others."},
        {"type", "array"},
        {"items", communes_item}}}};
  s["properties"]["synonyms"] = {
      {"description",
       "Groups of words or phrases a search takes for one another (core/search_query.h): a "
       "word or phrase of a group typed in the search box finds what any of the group finds. "
       "Optional."},
      {"type", "array"},
      {"items",
       {{"type", "array"},
        {"minItems", 2},
        {"items", {{"type", "string"}, {"pattern", "[0-9A-Za-z\\u0080-\\uffff]"}}}}}};
  return s;
}

std::string Readme() {
  std::ostringstream md;
  md << "# Payload schemas\n\n"
     << "Generated by `tools/payload_schemas` from the field tables of `core/payload_schema.cpp`, "
        "which node and hub use to check payloads (do not edit; `payload_schemas_test` checks "
        "these files are what the tool writes). JSON Schema draft 2020-12. They are the "
        "normative field list of docs/protocol.md section 8.\n\n"
     << "| kind | schema |\n|---|---|\n";
  for (const PayloadSchema& s : ess::PayloadSchemas()) {
    md << "| " << s.title << " | [" << s.id << ".schema.json](" << s.id << ".schema.json) |\n";
  }
  md << "| the common referential | [referential.schema.json](referential.schema.json) |\n\n"
     << "A payload the schema refuses is refused by node and hub (`payload_invalid`). The "
        "converse does not hold: the code also applies these rules, which a JSON Schema "
        "cannot express (they need the referential, the log, or arithmetic):\n\n";
  for (const PayloadSchema& s : ess::PayloadSchemas()) {
    if (s.code_only_rules.empty()) continue;
    md << "- **" << s.title << "**:";
    for (const auto& r : s.code_only_rules) md << " " << r;
    md << "\n";
  }
  md << "\nFields a schema does not name are allowed and ignored (forward compatibility); a "
        "named field, when present, must have its type (`null` is refused, not taken as "
        "absent). Lengths count Unicode code points.\n";
  return md.str();
}

std::map<std::string, std::string> Files() {
  std::map<std::string, std::string> files;
  for (const PayloadSchema& s : ess::PayloadSchemas()) {
    files[s.id + ".schema.json"] = PayloadJsonSchema(s).dump(2) + "\n";
  }
  files["referential.schema.json"] = ReferentialJsonSchema().dump(2) + "\n";
  files["README.md"] = Readme();
  return files;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc == 3 && std::string(argv[1]) == "--check";
  if (argc != 2 && !check) {
    std::cerr << "usage: payload_schemas [--check] <dir>\n";
    return 2;
  }
  const std::filesystem::path dir = argv[argc - 1];
  int differing = 0;
  for (const auto& [name, text] : Files()) {
    if (check) {
      if (ReadFile(dir / name) != text) {
        std::cerr << (dir / name).string() << " differs from what tools/payload_schemas writes; "
                  << "run: payload_schemas " << dir.string() << "\n";
        ++differing;
      }
      continue;
    }
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  return differing == 0 ? 0 : 1;
}
