#pragma once
// The communes of the node's region, searchable as one types in the registration form:
// name prefix (accents, case and punctuation ignored), a word of the name, an INSEE code or
// a postcode prefix.

#include <string>
#include <string_view>
#include <vector>

#include "core/referential.h"
#include "core/text_fold.h"

namespace ess::node {

// core's fold (core/text_fold.h), which the commune box matches names with.
using ess::FoldForSearch;

struct CommuneSummary {
  std::string code;  // INSEE
  std::string name;
  std::string department;
  std::vector<std::string> postcodes;
  std::string folded_name;  // FoldForSearch(name)
};

class RegionCommunes {
 public:
  // The communes of `region` (INSEE region code) in the referential.
  static RegionCommunes Of(const Referential& referential, std::string_view region);

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

}  // namespace ess::node
