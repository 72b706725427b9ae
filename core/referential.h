#pragma once
// The common referential (docs/referential.md): ESS families and legal forms, activities,
// and France's territories (regions, departments, communes with INSEE codes). The hub owns
// it and serves it to nodes; both validate records against the same version.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/search_query.h"

namespace ess {

struct ReferentialEntry {
  std::string code;
  std::string label;
  std::string parent;  // legal form: its family; activity: its theme; department: its region
  // The ESSGlobal (RIPESS) SKOS concept a legal form or an activity maps to, as an IRI; empty
  // when none fits (docs/interop.md, deploy/referential/ess-codes.json).
  std::string essglobal;
};

struct Commune {
  std::string code;  // INSEE commune code, e.g. "13055"
  std::string name;
  std::string department;
  std::string region;
  std::vector<std::string> postcodes;
  // Its reference point: every commune of the built referential has one (absent only in older
  // or hand-made referentials). `position_source` says where it comes from: "geonames" (the
  // town itself), else an approximation ("postcode", "intercommunality", "arrondissement",
  // "department": docs/decisions/0007-commune-positions.md), then `approximate` is true.
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string position_source;
  bool approximate = false;
};

class Referential {
 public:
  // Parses the referential JSON. Throws std::invalid_argument with the reason if it is not
  // one (missing arrays, entries without code...).
  static Referential FromJson(std::string_view json);
  // Reads and parses a file; throws std::runtime_error if unreadable.
  static Referential FromFile(const std::string& path);

  const std::string& version() const { return version_; }
  const std::string& json() const { return json_; }  // as received, to serve it again
  // The same document without its communes (a few kilobytes instead of megabytes): what
  // pages need for labels and filters.
  const std::string& json_without_communes() const { return json_without_communes_; }

  const ReferentialEntry* Family(std::string_view code) const;
  const ReferentialEntry* LegalForm(std::string_view code) const;
  const ReferentialEntry* Activity(std::string_view code) const;
  const ReferentialEntry* Region(std::string_view code) const;
  const ReferentialEntry* Department(std::string_view code) const;
  const Commune* FindCommune(std::string_view code) const;

  const std::vector<ReferentialEntry>& families() const { return families_; }
  const std::vector<ReferentialEntry>& legal_forms() const { return legal_forms_; }
  const std::vector<ReferentialEntry>& activities() const { return activities_; }
  const std::vector<ReferentialEntry>& regions() const { return regions_; }
  const std::vector<ReferentialEntry>& departments() const { return departments_; }
  std::size_t commune_count() const { return communes_.size(); }
  const std::map<std::string, Commune, std::less<>>& communes() const { return communes_; }  // by code
  // Groups of words or phrases a search takes for one another (core/search_query.h); empty
  // for a referential without "synonyms".
  const std::vector<SynonymGroup>& synonyms() const { return synonyms_; }

 private:
  static const ReferentialEntry* Find(const std::vector<ReferentialEntry>& list,
                                      std::string_view code);
  std::string version_;
  std::string json_;
  std::string json_without_communes_;
  std::vector<ReferentialEntry> families_, legal_forms_, activities_, regions_, departments_;
  std::map<std::string, Commune, std::less<>> communes_;
  std::vector<SynonymGroup> synonyms_;
};

}  // namespace ess
