#include "node/domain/region_communes.h"

#include <algorithm>
#include <cctype>

namespace ess::node {

RegionCommunes RegionCommunes::Of(const Referential& referential, std::string_view region) {
  RegionCommunes out;
  for (const auto& [code, commune] : referential.communes()) {
    if (commune.region != region) continue;
    out.communes_.push_back({commune.code, commune.name, commune.department, commune.postcodes,
                             FoldForSearch(commune.name)});
  }
  std::sort(out.communes_.begin(), out.communes_.end(), [](const CommuneSummary& a, const CommuneSummary& b) {
    return a.folded_name != b.folded_name ? a.folded_name < b.folded_name : a.code < b.code;
  });
  return out;
}

std::vector<const CommuneSummary*> RegionCommunes::Search(std::string_view query, std::size_t limit) const {
  const std::string q = FoldForSearch(query);
  std::vector<const CommuneSummary*> groups[3];
  if (q.empty() || limit == 0) return {};
  const bool digits = std::all_of(q.begin(), q.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  const std::string word = " " + q;
  for (const auto& c : communes_) {
    if (c.folded_name.starts_with(q)) {
      groups[0].push_back(&c);
    } else if (c.folded_name.find(word) != std::string::npos) {
      groups[1].push_back(&c);
    } else if (digits && (c.code.starts_with(q) ||
                          std::any_of(c.postcodes.begin(), c.postcodes.end(),
                                      [&](const std::string& p) { return p.starts_with(q); }))) {
      groups[2].push_back(&c);
    }
  }
  std::vector<const CommuneSummary*> out;
  for (const auto& group : groups) {
    for (const CommuneSummary* c : group) {
      if (out.size() == limit) return out;
      out.push_back(c);
    }
  }
  return out;
}

const CommuneSummary* RegionCommunes::Find(std::string_view code) const {
  for (const auto& c : communes_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace ess::node
