// essctl: the admin command line shared by node and hub admins (docs/replication.md).

#include <iostream>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/key_file.h"
#include "core/log_store.h"
#include "core/password_rules.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/region_keys.h"
#include "core/region_log_writer.h"
#include "core/text_fold.h"
#include "hub/pilot/pilot_accounts.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/region_registry.h"
#include "hub/store/replication_status.h"
#include "node/replication/hub_replication_store.h"

namespace {

constexpr const char* kUsage =
    "essctl : administration de la carte fédérée de l'ESS.\n\n"
    "Clés :\n"
    "  essctl keygen --name NOM --out FICHIER   crée une clé Ed25519 (mode 0600) et affiche\n"
    "                                          sa clé de vérification et son empreinte\n"
    "  essctl pubkey --key FICHIER              affiche la clé de vérification d'une clé\n"
    "  essctl fingerprint --verifier-key CLÉ    affiche l'empreinte d'une clé de vérification\n"
    "\n"
    "Hub :\n"
    "  essctl hub key --key-file FICHIER\n"
    "        clé de contresignature du hub sous la forme que publie GET /api/hub/key\n"
    "        (cosignature C2SP) et son empreinte : ce qui vérifie les reçus des régions\n"
    "\n"
    "Régions au hub (--database : la base du hub ; son schéma est mis à jour au besoin) :\n"
    "  essctl region enrol --database URL --region CODE --verifier-key CLÉ [--from-index N]\n"
    "        inscrit une région et sa clé (comparer l'empreinte affichée hors ligne)\n"
    "  essctl region add-key --database URL --region CODE --verifier-key CLÉ --from-index N\n"
    "        ajoute une clé reçue hors ligne (clé perdue...), valide à partir de l'index N\n"
    "  essctl region revoke-key --database URL --region CODE --key EMPREINTE|ID [--reason TEXTE]\n"
    "        révoque une clé : elle ne signe plus rien\n"
    "  essctl region show --database URL [--region CODE]\n"
    "        inscription, clés et état de la synchronisation\n"
    "  essctl region reactivate --database URL --region CODE\n"
    "        relance une région arrêtée sur une divergence (le nœud a repris l'histoire du hub)\n"
    "  essctl region reset --database URL --region CODE --confirm\n"
    "        efface la copie de la région au hub : elle se resynchronise depuis l'index 0\n"
    "\n"
    "Pilotage national au hub (--database : la base du hub ; docs/operations.md) :\n"
    "  essctl pilot add --database URL --email ADRESSE --name NOM [--password-stdin]\n"
    "        crée un compte de pilotage ; sans --password-stdin, affiche une fois un mot de\n"
    "        passe tiré au hasard, à transmettre à la personne par un canal sûr\n"
    "  essctl pilot set-password --database URL --email ADRESSE [--password-stdin]\n"
    "        nouveau mot de passe (tiré au hasard ou lu sur l'entrée) ; ses sessions se ferment\n"
    "  essctl pilot disable|enable --database URL --email ADRESSE\n"
    "        suspend ou rétablit un compte (suspendre ferme ses sessions)\n"
    "  essctl pilot list --database URL\n"
    "        les comptes de pilotage\n"
    "\n"
    "Nœud (--database : la base du nœud, déjà démarré une fois) :\n"
    "  essctl node rotate-key --database URL --region CODE --key ANCIENNE --next-key NOUVELLE\n"
    "        journalise la rotation signée par l'ancienne clé ; redémarrer ensuite le nœud\n"
    "        avec --key-file NOUVELLE (nœud arrêté pendant l'opération)\n"
    "  essctl node replication-status --database URL --region CODE\n"
    "        ce que le nœud sait du hub : taille, dernier reçu, erreur, blocage du journal\n"
    "  essctl node unblock --database URL --region CODE\n"
    "        lève le blocage du journal (après résolution, voir docs/replication.md)\n"
    "\n"
    "  essctl --help                            cette aide\n";

// Returns the value following `flag`, or an empty string.
std::string Flag(const std::vector<std::string>& args, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) return args[i + 1];
  }
  return {};
}

bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  for (const auto& a : args) {
    if (a == flag) return true;
  }
  return false;
}

std::string Required(const std::vector<std::string>& args, const std::string& flag,
                     const std::string& command) {
  std::string v = Flag(args, flag);
  if (v.empty()) throw std::invalid_argument(command + " : " + flag + " est requis");
  return v;
}

std::uint64_t Index(const std::string& text, const std::string& flag) {
  try {
    std::size_t used = 0;
    auto v = std::stoull(text, &used);
    if (used != text.size()) throw std::invalid_argument("");
    return v;
  } catch (...) {
    throw std::invalid_argument(flag + " : entier positif attendu");
  }
}

void PrintPublic(const ess::NamedSigner& key) {
  std::cout << "clé de vérification : "
            << ess::FormatVerifierKey(key.name, key.signer.public_key()) << "\n"
            << "empreinte           : " << ess::KeyFingerprint(key.signer.public_key()) << "\n";
}

int Report(const ess::hub::AdminOutcome& outcome) {
  if (outcome.ok) {
    std::cout << outcome.message << "\n";
    return 0;
  }
  std::cerr << "essctl : refusé : " << outcome.message << "\n";
  return 1;
}

// A pool of one connection to the hub's database, its schema brought up to date.
std::unique_ptr<ess::PgPool> HubDatabase(const std::string& url) {
  {
    pqxx::connection migrator(url);
    ess::ApplyMigrations(migrator, ess::hub::HubMigrations());
  }
  return std::make_unique<ess::PgPool>(ess::PgPoolOptions{
      url, 1, std::chrono::seconds(10), [](pqxx::connection& c) { ess::hub::PrepareHubStatements(c); }});
}

std::unique_ptr<ess::PgPool> NodeDatabase(const std::string& url) {
  return std::make_unique<ess::PgPool>(ess::PgPoolOptions{
      url, 1, std::chrono::seconds(10), [](pqxx::connection& c) {
        ess::PrepareLogStatements(c);
        ess::node::PrepareHubReplicationStatements(c);
      }});
}

void PrintRegion(const ess::hub::RegionRecord& r, const ess::hub::RegionReplicationStatus* s) {
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

// The hub's cosigning key as GET /api/hub/key serves it (hub/api/hub_http_api.cpp): same
// verifier key string (cosigner form, algorithm byte 0x04), same fingerprint.
int HubCommand(const std::vector<std::string>& args) {
  if (args.size() < 2) throw std::invalid_argument("hub : sous-commande manquante");
  if (args[1] != "key") throw std::invalid_argument("hub : sous-commande inconnue : " + args[1]);
  auto key = ess::ReadKeyFile(Required(args, "--key-file", "hub key"));
  const auto& public_key = key.signer.public_key();
  std::cout << "nom                 : " << key.name << "\n"
            << "clé de vérification : " << ess::FormatCosignerVerifierKey(key.name, public_key)
            << "\n"
            << "clé publique        : " << ess::ToBase64(public_key) << "\n"
            << "empreinte           : " << ess::KeyFingerprint(public_key) << "\n";
  return 0;
}

// A password given on standard input (one line, its line end removed), or one drawn at
// random for this account (printed once by the caller). Never from the command line, which
// other users of the machine can read.
std::string PilotPassword(const std::vector<std::string>& args, std::string_view email,
                          std::string_view name, bool& drawn) {
  drawn = !HasFlag(args, "--password-stdin");
  if (drawn) return ess::DrawPassword(email, name);
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw std::invalid_argument("pilot : mot de passe vide sur l'entrée standard");
  return line;
}

int PilotCommand(const std::vector<std::string>& args) {
  if (args.size() < 2) throw std::invalid_argument("pilot : sous-commande manquante");
  const std::string& sub = args[1];
  const std::string command = "pilot " + sub;
  auto pool = HubDatabase(Required(args, "--database", command));
  ess::SystemClock clock;
  ess::hub::PilotSecurity security;
  // The hashing cost: the hub's default; the tests pass a small one (the hub verifies a hash
  // with the cost written in it).
  if (auto ops = Flag(args, "--password-ops"); !ops.empty()) {
    security.cost.ops_limit = Index(ops, "--password-ops");
  }
  if (auto kib = Flag(args, "--password-mem-kib"); !kib.empty()) {
    security.cost.mem_limit = Index(kib, "--password-mem-kib") * 1024;
  }
  ess::hub::PilotAccounts pilots(*pool, clock, security);
  const auto refused = [](const ess::hub::PilotRefusal& r) {
    std::cerr << "essctl : refusé : " << r.message << "\n";
    return 1;
  };
  if (sub == "add" || sub == "set-password") {
    const std::string email = Required(args, "--email", command);
    // The name the drawn password must not resemble: the new account's, or the existing one's.
    std::string name;
    if (sub == "add") {
      name = Required(args, "--name", command);
    } else {
      for (const auto& a : pilots.All()) {
        if (a.email == ess::AsciiLower(email)) name = a.display_name;
      }
    }
    bool drawn = false;
    const std::string password = PilotPassword(args, email, name, drawn);
    if (sub == "add") {
      auto created = pilots.Create(email, name, password);
      if (!created.ok()) return refused(created.refusal);
      std::cout << "compte de pilotage créé : " << created.value->email << " ("
                << created.value->display_name << ")\n";
    } else {
      auto changed = pilots.SetPassword(email, password);
      if (!changed.ok()) return refused(changed.refusal);
      std::cout << "mot de passe changé pour " << email << " ; ses sessions sont fermées\n";
    }
    if (drawn) {
      std::cout << "mot de passe (affiché une seule fois, à transmettre par un canal sûr) : "
                << password << "\n";
    }
    return 0;
  }
  if (sub == "disable" || sub == "enable") {
    const std::string email = Required(args, "--email", command);
    if (!pilots.SetActive(email, sub == "enable")) {
      std::cerr << "essctl : aucun compte de pilotage pour " << email << "\n";
      return 1;
    }
    std::cout << "compte " << email << (sub == "enable" ? " rétabli" : " suspendu") << "\n";
    return 0;
  }
  if (sub == "list") {
    for (const auto& a : pilots.All()) {
      std::cout << a.email << " (" << a.display_name << ") : " << a.role << ", "
                << (a.active ? "actif" : "suspendu") << ", créé le " << a.created_at << "\n";
    }
    return 0;
  }
  throw std::invalid_argument("pilot : sous-commande inconnue : " + sub);
}

int RegionCommand(const std::vector<std::string>& args) {
  if (args.size() < 2) throw std::invalid_argument("region : sous-commande manquante");
  const std::string& sub = args[1];
  const std::string command = "region " + sub;
  auto db = HubDatabase(Required(args, "--database", command));
  ess::SystemClock clock;
  const std::string federation =
      Flag(args, "--federation").empty() ? std::string(ess::kDefaultFederation) : Flag(args, "--federation");
  auto with_registry = [&](auto&& work) {
    return db->WithTransaction([&](pqxx::work& txn) {
      ess::hub::RegionRegistry registry(txn, federation, clock);
      return work(registry, txn);
    });
  };
  if (sub == "enrol") {
    std::string region = Required(args, "--region", command);
    std::string key = Required(args, "--verifier-key", command);
    std::uint64_t from = Flag(args, "--from-index").empty() ? 0 : Index(Flag(args, "--from-index"), "--from-index");
    return Report(with_registry([&](auto& r, auto&) { return r.Enrol(region, key, from); }));
  }
  if (sub == "add-key") {
    std::string region = Required(args, "--region", command);
    std::string key = Required(args, "--verifier-key", command);
    std::uint64_t from = Index(Required(args, "--from-index", command), "--from-index");
    return Report(with_registry([&](auto& r, auto&) { return r.AddKey(region, key, from); }));
  }
  if (sub == "revoke-key") {
    std::string region = Required(args, "--region", command);
    std::string key = Required(args, "--key", command);
    std::string reason = Flag(args, "--reason").empty() ? "révoquée par un administrateur" : Flag(args, "--reason");
    return Report(with_registry([&](auto& r, auto&) { return r.RevokeKey(region, key, reason); }));
  }
  if (sub == "reactivate") {
    std::string region = Required(args, "--region", command);
    return Report(with_registry([&](auto& r, auto&) { return r.Reactivate(region); }));
  }
  if (sub == "reset") {
    std::string region = Required(args, "--region", command);
    if (!HasFlag(args, "--confirm")) {
      throw std::invalid_argument("region reset efface la copie de la région au hub : ajouter --confirm");
    }
    return Report(with_registry([&](auto& r, auto&) { return r.ResetReplica(region); }));
  }
  if (sub == "show") {
    std::string region = Flag(args, "--region");
    return with_registry([&](auto& registry, pqxx::work& txn) {
      ess::hub::ReplicationStatusReader status(txn, clock);
      std::vector<ess::hub::RegionRecord> records;
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
  }
  throw std::invalid_argument("region : sous-commande inconnue : " + sub);
}

int NodeCommand(const std::vector<std::string>& args) {
  if (args.size() < 2) throw std::invalid_argument("node : sous-commande manquante");
  const std::string& sub = args[1];
  const std::string command = "node " + sub;
  const std::string region = Required(args, "--region", command);
  auto db = NodeDatabase(Required(args, "--database", command));
  const std::string federation =
      Flag(args, "--federation").empty() ? std::string(ess::kDefaultFederation) : Flag(args, "--federation");
  if (sub == "rotate-key") {
    auto old_key = ess::ReadKeyFile(Required(args, "--key", command));
    auto next_key = ess::ReadKeyFile(Required(args, "--next-key", command));
    const std::string origin = ess::RegionOrigin(federation, region);
    if (old_key.name != origin || next_key.name != origin) {
      throw std::invalid_argument("rotate-key : les deux clés doivent être nommées « " + origin + " »");
    }
    ess::SystemClock clock;
    ess::RegionLogWriter writer(region, origin, old_key.signer, clock);
    auto appended = db->WithTransaction([&](pqxx::work& txn) {
      const std::uint64_t size = ess::LogStore(txn, region).ReadHead(/*lock=*/true).size();
      ess::KeyRotation rotation{*ess::ParseVerifierKey(ess::FormatVerifierKey(origin, next_key.signer.public_key())),
                                size + 1};
      std::vector<ess::LogChange> change{{ess::Operation::kPut, ess::RecordKind::kKeyRotation,
                                          ess::NewRecordId(), ess::EncodeKeyRotation(rotation)}};
      return writer.Append(txn, change);
    });
    std::cout << "rotation journalisée à l'index " << appended.records.front().entry.index
              << " : la nouvelle clé signe à partir de l'index " << appended.checkpoint.size << "\n";
    PrintPublic(next_key);
    std::cout << "redémarrer le nœud avec --key-file sur la nouvelle clé ; le hub suivra la "
                 "rotation à la prochaine synchronisation\n";
    return 0;
  }
  if (sub == "replication-status") {
    auto s = db->WithTransaction(
        [&](pqxx::work& txn) { return ess::node::HubReplicationStore(txn, region).Read(); });
    auto head = db->WithTransaction(
        [&](pqxx::work& txn) { return ess::LogStore(txn, region).ReadHead(false).size(); });
    std::cout << "journal du nœud : " << head << " entrées\n"
              << "copie au hub : "
              << (s.hub_tree_size ? std::to_string(*s.hub_tree_size) + " entrées" : std::string("inconnue"))
              << " (région " << s.hub_region_status.value_or("?") << ")\n"
              << "dernier contact : " << s.last_contact_at.value_or("jamais") << "\n"
              << "dernier reçu du hub : "
              << (s.last_receipt_size ? "taille " + std::to_string(*s.last_receipt_size) : std::string("aucun"))
              << "\n";
    if (s.last_error) std::cout << "dernière erreur (" << s.last_error_at.value_or("?") << ") : " << *s.last_error << "\n";
    if (s.append_block) std::cout << "JOURNAL BLOQUÉ : " << *s.append_block << "\n";
    if (s.last_receipt) std::cout << "\n" << *s.last_receipt;
    return 0;
  }
  if (sub == "unblock") {
    bool lifted = db->WithTransaction([&](pqxx::work& txn) {
      return ess::node::HubReplicationStore(txn, region).UnblockAppends();
    });
    std::cout << (lifted ? "blocage du journal levé (la synchronisation le rétablit si le hub "
                           "n'est toujours pas cohérent avec ce nœud)\n"
                         : "le journal n'était pas bloqué\n");
    return 0;
  }
  throw std::invalid_argument("node : sous-commande inconnue : " + sub);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  try {
    const std::string& command = args[0];
    if (command == "keygen") {
      std::string name = Flag(args, "--name"), out = Flag(args, "--out");
      if (name.empty() || out.empty()) throw std::invalid_argument("keygen : --name et --out sont requis");
      if (!ess::IsValidKeyName(name)) {
        throw std::invalid_argument("keygen : nom de clé invalide (ni espace ni « + »)");
      }
      ess::NamedSigner key{name, ess::Ed25519Signer::Generate()};
      ess::WriteKeyFile(out, key);
      PrintPublic(key);
      return 0;
    }
    if (command == "pubkey") {
      std::string file = Flag(args, "--key");
      if (file.empty()) throw std::invalid_argument("pubkey : --key est requis");
      PrintPublic(ess::ReadKeyFile(file));
      return 0;
    }
    if (command == "fingerprint") {
      auto key = ess::ParseVerifierKey(Required(args, "--verifier-key", "fingerprint"));
      if (!key) throw std::invalid_argument("fingerprint : clé de vérification illisible");
      std::cout << "nom       : " << key->name << "\nempreinte : " << ess::KeyFingerprint(key->public_key)
                << "\n";
      return 0;
    }
    if (command == "hub") return HubCommand(args);
    if (command == "region") return RegionCommand(args);
    if (command == "pilot") return PilotCommand(args);
    if (command == "node") return NodeCommand(args);
    throw std::invalid_argument("commande inconnue : " + command);
  } catch (const std::invalid_argument& e) {
    std::cerr << "essctl : " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "essctl : " << e.what() << "\n";
    return 1;
  }
}
