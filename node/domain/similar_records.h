#pragma once
// Records that look like one being registered: the registration form's soft duplicate
// warning ("C'est bien une autre structure ?"). Same SIRET, or same name (FoldForSearch:
// accents, case and punctuation ignored) in the same commune, among the region's admitted
// and visible records and the hub's visible ones. Public fields only; never a refusal.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ess::node {

inline constexpr std::size_t kSimilarMax = 10;  // records listed from each source

struct SimilarQuery {
  std::string siret;    // 14 digits (normalised), or empty
  std::string name;     // normalised text, or empty
  std::string commune;  // INSEE code of the region, or empty (the name is then not looked up)
};

struct SimilarRecord {
  std::string region;  // INSEE region code
  std::string id;      // record id (UUID)
  std::string name;
  std::string commune;
  std::string commune_name;
  std::string reason;  // "siret" or "name_commune"
};

// Asks the hub; nullopt when it did not answer in time (or is not configured), so that the
// warning says it covers the region only. Must be callable from several threads at once.
using HubSimilarLookup =
    std::function<std::optional<std::vector<SimilarRecord>>(const SimilarQuery&)>;

}  // namespace ess::node
