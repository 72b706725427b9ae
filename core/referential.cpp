#include "core/referential.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ess {

namespace {

constexpr const char* kEssGlobalConcepts = "http://purl.org/essglobal/standard/";

std::vector<ReferentialEntry> Entries(const nlohmann::json& j, const char* key,
                                      const char* label_key, const char* parent_key) {
  if (!j.contains(key) || !j[key].is_array()) {
    throw std::invalid_argument(std::string("référentiel : tableau « ") + key + " » manquant");
  }
  std::vector<ReferentialEntry> out;
  for (const auto& e : j[key]) {
    if (!e.is_object() || !e.contains("code") || !e["code"].is_string()) {
      throw std::invalid_argument(std::string("référentiel : entrée sans code dans ") + key);
    }
    ReferentialEntry entry{e["code"], e.value(label_key, ""), ""};
    if (parent_key) entry.parent = e.value(parent_key, "");
    if (auto iri = e.find("essglobal"); iri != e.end()) {
      if (!iri->is_string() || iri->get<std::string>().rfind(kEssGlobalConcepts, 0) != 0) {
        throw std::invalid_argument(std::string("référentiel : « essglobal » de ") + key +
                                    " doit être l'IRI d'un concept ESSGlobal (" +
                                    kEssGlobalConcepts + "…)");
      }
      entry.essglobal = iri->get<std::string>();
    }
    out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  return out;
}

// "synonyms": groups of at least two words or phrases, each with a word in it.
std::vector<SynonymGroup> SynonymGroups(const nlohmann::json& j) {
  const auto refused = [] {
    return std::invalid_argument(
        "référentiel : « synonyms » attend des groupes d'au moins deux mots ou expressions");
  };
  if (!j.is_array()) throw refused();
  std::vector<SynonymGroup> out;
  for (const auto& group : j) {
    if (!group.is_array() || group.size() < 2) throw refused();
    SynonymGroup& phrases = out.emplace_back();
    for (const auto& phrase : group) {
      if (!phrase.is_string() || !PrefixTsQuery(phrase.get<std::string>())) throw refused();
      phrases.push_back(phrase.get<std::string>());
    }
  }
  return out;
}

}  // namespace

Referential Referential::FromJson(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw std::invalid_argument("référentiel : JSON illisible");
  }
  Referential r;
  r.version_ = j.value("version", "");
  if (r.version_.empty()) throw std::invalid_argument("référentiel : version manquante");
  r.json_ = std::string(json);
  r.families_ = Entries(j, "families", "label", nullptr);
  r.legal_forms_ = Entries(j, "legal_forms", "label", "family");
  r.activities_ = Entries(j, "activities", "label", "theme");
  r.regions_ = Entries(j, "regions", "name", nullptr);
  r.departments_ = Entries(j, "departments", "name", "region");
  if (j.contains("synonyms")) r.synonyms_ = SynonymGroups(j["synonyms"]);
  if (!j.contains("communes") || !j["communes"].is_array()) {
    throw std::invalid_argument("référentiel : tableau « communes » manquant");
  }
  for (const auto& c : j["communes"]) {
    if (!c.is_object() || !c.contains("code") || !c["code"].is_string()) {
      throw std::invalid_argument("référentiel : commune sans code");
    }
    Commune commune{c["code"], c.value("name", ""), c.value("department", ""),
                    c.value("region", "")};
    if (c.contains("postcodes")) commune.postcodes = c["postcodes"].get<std::vector<std::string>>();
    if (c.contains("latitude") && c.contains("longitude")) {
      commune.latitude = c["latitude"].get<double>();
      commune.longitude = c["longitude"].get<double>();
      // Referentials before position_source held GeoNames' coordinates only.
      commune.position_source = c.value("position_source", "geonames");
      commune.approximate = c.value("approximate", false);
    }
    r.communes_.emplace(commune.code, std::move(commune));
  }
  j.erase("communes");
  r.json_without_communes_ = j.dump();
  return r;
}

Referential Referential::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("référentiel illisible : " + path);
  std::stringstream s;
  s << in.rdbuf();
  return FromJson(s.str());
}

const ReferentialEntry* Referential::Find(const std::vector<ReferentialEntry>& list,
                                          std::string_view code) {
  auto it =
      std::lower_bound(list.begin(), list.end(), code,
                       [](const ReferentialEntry& e, std::string_view c) { return e.code < c; });
  return it != list.end() && it->code == code ? &*it : nullptr;
}

const ReferentialEntry* Referential::Family(std::string_view code) const { return Find(families_, code); }
const ReferentialEntry* Referential::LegalForm(std::string_view code) const { return Find(legal_forms_, code); }
const ReferentialEntry* Referential::Activity(std::string_view code) const { return Find(activities_, code); }
const ReferentialEntry* Referential::Region(std::string_view code) const { return Find(regions_, code); }
const ReferentialEntry* Referential::Department(std::string_view code) const { return Find(departments_, code); }

const Commune* Referential::FindCommune(std::string_view code) const {
  auto it = communes_.find(code);
  return it == communes_.end() ? nullptr : &it->second;
}

}  // namespace ess
