#include "node/service/similar_service.h"

#include <algorithm>

#include <pqxx/pqxx>

#include "core/field_rules.h"
#include "core/freshness.h"
#include "node/domain/entered_text.h"
#include "node/domain/region_communes.h"

namespace ess::node {

namespace {

Failure NoReferential() {
  return Failure::Of(FailureKind::kUnavailable, "no_referential",
                     "Le référentiel commun n'est pas encore chargé sur ce nœud.");
}

// Some communes hold thousands of records: their names are compared here, after a read
// bounded by this.
constexpr int kCommuneRowsRead = 5000;

}  // namespace

Result<SimilarFound> SimilarService::Find(const SimilarRequest& request) const {
  auto referential = context_.referential.Get();
  if (!referential) return NoReferential();
  SimilarQuery query;
  if (!request.siret.empty()) {
    query.siret = NormalizeSiret(request.siret);
    if (request.siret.size() > 20 || !IsValidSiret(query.siret)) {
      return Failure::Invalid("invalid_siret",
                              "Le champ « SIRET » n'est pas un numéro valide (14 chiffres, clé de "
                              "contrôle).",
                              "siret");
    }
  }
  if (!request.name.empty()) {
    if (auto bad =
            ReadEnteredText(request.name, TextKind::kSingleLine, "name", "Nom", query.name)) {
      return *bad;
    }
    if (*Utf8Length(query.name) > 200) {
      return Failure::Invalid("too_long", "Le champ « Nom » dépasse 200 caractères.", "name");
    }
  }
  if (!request.commune.empty()) {
    const Commune* commune = referential->FindCommune(request.commune);
    if (!commune || commune->region != context_.settings.region) {
      return Failure::Invalid("unknown_commune", "Commune inconnue dans la région de ce nœud.",
                              "commune");
    }
    query.commune = commune->code;
  }
  if (query.siret.empty() && (query.name.empty() || query.commune.empty())) {
    return Failure::Invalid("required", "Donnez un SIRET, ou un nom et sa commune.", "siret");
  }

  SimilarFound found;
  const std::string folded = FoldForSearch(query.name);
  const std::string name_sought = query.commune.empty() ? "" : folded;
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    const std::string sql =
        "SELECT initiative_id::text, name, commune, commune_name, coalesce(siret, '') = $1 "
        "FROM initiative WHERE status = 'admitted' AND " +
        SqlVisible("hide_after", "$3") +
        " AND (($1 <> '' AND siret = $1) OR ($2 <> '' AND commune = $2)) "
        "ORDER BY 5 DESC, name, initiative_id LIMIT $4";
    for (const auto& row :
         txn.exec_params(sql, query.siret, name_sought.empty() ? std::string() : query.commune,
                         context_.clock.NowMillis(), kCommuneRowsRead)) {
      if (found.region.size() >= kSimilarMax) break;
      const bool same_siret = !query.siret.empty() && row[4].as<bool>();
      if (!same_siret && FoldForSearch(row[1].c_str()) != name_sought) continue;
      found.region.push_back({context_.settings.region, row[0].c_str(), row[1].c_str(),
                              row[2].c_str(), row[3].c_str(),
                              same_siret ? "siret" : "name_commune"});
    }
  });
  if (hub_) {
    if (auto national = hub_(query)) {
      found.hub_checked = true;
      for (SimilarRecord& r : *national) {
        // The region's own records are the node's to list (the hub may lag behind).
        if (r.region == context_.settings.region || found.national.size() >= kSimilarMax) continue;
        found.national.push_back(std::move(r));
      }
    }
  }
  return found;
}

}  // namespace ess::node
