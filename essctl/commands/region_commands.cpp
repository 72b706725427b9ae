#include "essctl/commands/region_commands.h"

#include <iostream>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "essctl/databases.h"
#include "hub/store/region_registry.h"
#include "hub/store/replication_status.h"

namespace ess::essctl {

namespace {

const OptionSpec kHubDatabase{
    "--database", "URL", "la base du hub (URI libpq) ; son schéma est mis à jour au besoin", true};
const OptionSpec kRegion{"--region", "CODE", "code INSEE de la région (93...)", true};
const OptionSpec kFederation{"--federation", "NOM", "nom de la fédération", false, true};

int Report(const hub::AdminOutcome& outcome) {
  if (outcome.ok) {
    std::cout << outcome.message << "\n";
    return 0;
  }
  std::cerr << "essctl : refusé : " << outcome.message << "\n";
  return 1;
}

void PrintRegion(const hub::RegionRecord& r, const hub::RegionReplicationStatus* s) {
  std::cout << "région " << r.region << " (" << r.name << ") : " << r.status;
  if (r.status_reason) std::cout << " — " << *r.status_reason;
  std::cout << "\n  inscrite le " << r.enrolled_at << "\n";
  std::cout << "  site de la région : "
            << r.site_url.value_or("inconnu (son nœud n'annonce pas de --public-url)") << "\n";
  for (const auto& k : r.keys) {
    std::cout << "  clé " << k.fingerprint << " (id " << std::hex << k.key_id << std::dec
              << ") index " << k.valid_from_index << " à "
              << (k.valid_until_index ? std::to_string(*k.valid_until_index) : std::string("…"))
              << ", ajoutée par " << (k.added_by == "rotation" ? "rotation" : "un administrateur");
    if (k.revoked_at) std::cout << ", RÉVOQUÉE le " << *k.revoked_at;
    std::cout << "\n    " << k.verifier_key << "\n";
  }
  if (!s) return;
  std::cout << "  copie au hub : " << s->tree_size << " entrées";
  if (s->node_tree_size) {
    std::cout << " ; le nœud en annonçait " << *s->node_tree_size << " (retard " << s->lag_entries
              << " entrées, " << s->lag_seconds << " s)";
  }
  if (s->node_behind_entries) std::cout << "\n  " << NodeBehindWarning(*s);
  std::cout << "\n  dernier contact : " << s->last_contact_at.value_or("jamais")
            << " ; dernier lot accepté : " << s->last_accepted_at.value_or("jamais") << "\n"
            << "  lots acceptés : " << s->accepted_batches << " (" << s->accepted_entries
            << " entrées) ; refus : " << s->rejected_count << "\n";
  for (const auto& rej : s->latest_rejections) {
    std::cout << "  refus " << rej.rejected_at << " [" << rej.code << "] " << rej.reason;
    if (rej.log_index) std::cout << " (index " << *rej.log_index << ")";
    if (rej.fork_evidence) std::cout << " — preuves de la divergence conservées";
    std::cout << "\n";
  }
}

// Runs `work(registry, txn)` in one transaction of the hub's database.
template <typename Work>
auto WithRegistry(const Args& args, Work&& work) {
  auto db = HubDatabase(args.Get("--database"));
  SystemClock clock;
  const std::string federation = args.Get("--federation", std::string(kDefaultFederation));
  return db->WithTransaction([&](pqxx::work& txn) {
    hub::RegionRegistry registry(txn, federation, clock);
    return work(registry, txn, clock);
  });
}

}  // namespace

std::vector<Command> RegionCommands() {
  std::vector<Command> out;
  out.push_back({{"region enrol",
                  "inscrit une région et sa clé (comparer hors ligne l'empreinte affichée)",
                  {kHubDatabase,
                   kRegion,
                   {"--verifier-key", "CLÉ", "la clé de vérification de la région", true},
                   {"--from-index", "N", "premier index que la clé signe (0 par défaut)"},
                   kFederation}},
                 [](const Args& args) {
                   const std::uint64_t from = args.Number("--from-index", 0);
                   return Report(WithRegistry(args, [&](auto& r, auto&, auto&) {
                     return r.Enrol(args.Get("--region"), args.Get("--verifier-key"), from);
                   }));
                 }});
  out.push_back({{"region add-key",
                  "ajoute une clé reçue hors ligne (clé perdue...), valide à partir de l'index N",
                  {kHubDatabase,
                   kRegion,
                   {"--verifier-key", "CLÉ", "la nouvelle clé de vérification", true},
                   {"--from-index", "N", "premier index qu'elle signe", true},
                   kFederation}},
                 [](const Args& args) {
                   const std::uint64_t from = args.Number("--from-index");
                   return Report(WithRegistry(args, [&](auto& r, auto&, auto&) {
                     return r.AddKey(args.Get("--region"), args.Get("--verifier-key"), from);
                   }));
                 }});
  out.push_back({{"region revoke-key",
                  "révoque une clé : elle ne signe plus rien",
                  {kHubDatabase,
                   kRegion,
                   {"--key", "EMPREINTE|ID",
                    "l'empreinte ou l'identifiant (8 chiffres hexadécimaux) de la clé", true},
                   {"--reason", "TEXTE", "la raison, gardée avec la clé"},
                   kFederation}},
                 [](const Args& args) {
                   const std::string reason =
                       args.Get("--reason", "révoquée par un administrateur");
                   return Report(WithRegistry(args, [&](auto& r, auto&, auto&) {
                     return r.RevokeKey(args.Get("--region"), args.Get("--key"), reason);
                   }));
                 }});
  out.push_back({{"region show",
                  "inscription, clés et état de la synchronisation (toutes les régions sans "
                  "--region)",
                  {kHubDatabase, {"--region", "CODE", "une seule région"}, kFederation}},
                 [](const Args& args) {
                   const std::string region = args.Get("--region");
                   return WithRegistry(args, [&](auto& registry, pqxx::work& txn, auto& clock) {
                     hub::ReplicationStatusReader status(txn, clock);
                     std::vector<hub::RegionRecord> records;
                     if (region.empty()) {
                       records = registry.List();
                     } else if (auto one = registry.Find(region)) {
                       records.push_back(std::move(*one));
                     } else {
                       std::cerr << "essctl : région " << region << " non inscrite\n";
                       return 1;
                     }
                     if (records.empty()) std::cout << "aucune région inscrite\n";
                     for (const auto& r : records) {
                       auto s = status.One(r.region, 5);
                       PrintRegion(r, s ? &*s : nullptr);
                     }
                     return 0;
                   });
                 }});
  out.push_back({{"region reactivate",
                  "relance une région arrêtée sur une divergence (le nœud a repris l'histoire "
                  "du hub)",
                  {kHubDatabase, kRegion, kFederation}},
                 [](const Args& args) {
                   return Report(WithRegistry(args, [&](auto& r, auto&, auto&) {
                     return r.Reactivate(args.Get("--region"));
                   }));
                 }});
  out.push_back(
      {{"region reset",
        "efface la copie de la région au hub : elle se resynchronise depuis l'index 0",
        {kHubDatabase, kRegion, {"--confirm", "", "confirme l'effacement"}, kFederation}},
       [](const Args& args) {
         if (!args.Has("--confirm")) {
           throw UsageError("region reset efface la copie de la région au hub : ajouter --confirm");
         }
         return Report(WithRegistry(
             args, [&](auto& r, auto&, auto&) { return r.ResetReplica(args.Get("--region")); }));
       }});
  return out;
}

}  // namespace ess::essctl
