#pragma once
// Lighter views of the common referential for the web pages, which would otherwise load
// the whole document (3.6 MB, 35,000 communes) to show a few labels:
//   - the referential without its communes (families, legal forms, activities, regions,
//     departments: a few kilobytes), and the whole one, each with a strong ETag so that a
//     browser keeps it and revalidates with If-None-Match;
//   - the communes of the node's region, searchable as one types: name prefix (accents,
//     case and punctuation ignored), a word of the name, an INSEE code or postcode prefix.
// Built once per referential (its JSON is parsed again: about a tenth of a second).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/referential.h"

namespace ess::node {

// Lower case, accents removed (é -> e, ç -> c, œ -> oe, ß -> ss), every run of other
// characters (spaces, hyphens, apostrophes, punctuation) turned into one space, trimmed.
// "Saint-Étienne-du-Grès" -> "saint etienne du gres". Characters outside Latin-1 and œ/Œ/Ÿ
// are kept as they are.
std::string FoldForSearch(std::string_view text);

struct CommuneSummary {
  std::string code;  // INSEE
  std::string name;
  std::string department;
  std::vector<std::string> postcodes;
  std::string folded_name;  // FoldForSearch(name)
};

class RegionCommunes {
 public:
  // The communes of `region` in the referential's JSON document (docs/referential.md).
  static RegionCommunes FromReferentialJson(const nlohmann::json& referential, std::string_view region);

  // At most `limit` communes for what is being typed: names starting with `query` first,
  // then names with a word starting with it, then (digits) INSEE codes and postcodes
  // starting with it; by name within each group. Empty for a query that folds to nothing.
  std::vector<const CommuneSummary*> Search(std::string_view query, std::size_t limit) const;
  // The commune with this INSEE code, if it is in the region.
  const CommuneSummary* Find(std::string_view code) const;
  std::size_t size() const { return communes_.size(); }

 private:
  std::vector<CommuneSummary> communes_;  // by folded name
};

// A document as served: its bytes and a strong ETag (quoted hex of its SHA-256's start).
struct ServedDocument {
  std::string body;
  std::string etag;
};

class ReferentialViews {
 public:
  // Throws std::invalid_argument if the referential's JSON cannot be read again.
  ReferentialViews(const Referential& referential, std::string_view region);

  const ServedDocument& full() const { return full_; }
  const ServedDocument& without_communes() const { return without_communes_; }
  const RegionCommunes& communes() const { return communes_; }

 private:
  ServedDocument full_;
  ServedDocument without_communes_;
  RegionCommunes communes_;
};

// "*" or a list of entity tags containing `etag` (weak comparison, as for GET).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace ess::node
