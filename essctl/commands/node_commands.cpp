#include "essctl/commands/node_commands.h"

#include <iostream>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/key_file.h"
#include "core/log_store.h"
#include "core/region_keys.h"
#include "core/region_log_writer.h"
#include "essctl/commands/key_output.h"
#include "essctl/databases.h"
#include "node/replication/hub_replication_store.h"

namespace ess::essctl {

namespace {

const OptionSpec kNodeDatabase{"--database", "URL",
                               "la base du nœud (URI libpq), le nœud déjà démarré une fois", true};
const OptionSpec kRegion{"--region", "CODE", "code INSEE de la région du nœud", true};
const OptionSpec kFederation{"--federation", "NOM", "nom de la fédération", false, true};

int RotateKey(const Args& args) {
  const std::string region = args.Get("--region");
  auto db = NodeDatabase(args.Get("--database"));
  auto old_key = ReadKeyFile(args.Get("--key"));
  auto next_key = ReadKeyFile(args.Get("--next-key"));
  const std::string origin =
      RegionOrigin(args.Get("--federation", std::string(kDefaultFederation)), region);
  if (old_key.name != origin || next_key.name != origin) {
    throw UsageError("rotate-key : les deux clés doivent être nommées « " + origin + " »");
  }
  SystemClock clock;
  RegionLogWriter writer(region, origin, old_key.signer, clock);
  auto appended = db->WithTransaction([&](pqxx::work& txn) {
    const std::uint64_t size = LogStore(txn, region).ReadHead(/*lock=*/true).size();
    KeyRotation rotation{*ParseVerifierKey(FormatVerifierKey(origin, next_key.signer.public_key())),
                         size + 1};
    std::vector<LogChange> change{
        {Operation::kPut, RecordKind::kKeyRotation, NewRecordId(), EncodeKeyRotation(rotation)}};
    return writer.Append(txn, change);
  });
  std::cout << "rotation journalisée à l'index " << appended.records.front().entry.index
            << " : la nouvelle clé signe à partir de l'index " << appended.checkpoint.size << "\n";
  PrintPublic(next_key);
  std::cout << "redémarrer le nœud avec --key-file sur la nouvelle clé ; le hub suivra la "
               "rotation à la prochaine synchronisation\n";
  return 0;
}

int ReplicationStatus(const Args& args) {
  const std::string region = args.Get("--region");
  auto db = NodeDatabase(args.Get("--database"));
  auto s = db->WithTransaction(
      [&](pqxx::work& txn) { return node::HubReplicationStore(txn, region).Read(); });
  auto head = db->WithTransaction(
      [&](pqxx::work& txn) { return LogStore(txn, region).ReadHead(false).size(); });
  std::cout << "journal du nœud : " << head << " entrées\n"
            << "copie au hub : "
            << (s.hub_tree_size ? std::to_string(*s.hub_tree_size) + " entrées"
                                : std::string("inconnue"))
            << " (région " << s.hub_region_status.value_or("?") << ")\n"
            << "dernier contact : " << s.last_contact_at.value_or("jamais") << "\n"
            << "dernier reçu du hub : "
            << (s.last_receipt_size ? "taille " + std::to_string(*s.last_receipt_size)
                                    : std::string("aucun"))
            << "\n";
  if (s.last_error) {
    std::cout << "dernière erreur (" << s.last_error_at.value_or("?") << ") : " << *s.last_error
              << "\n";
  }
  if (s.append_block) {
    std::cout << "JOURNAL BLOQUÉ : " << *s.append_block << "\n";
  } else if (!s.hub_tree_size) {
    std::cout << "synchronisation : le hub n'a pas encore répondu\n";
  } else if (*s.hub_tree_size >= head) {
    std::cout << "synchronisation : à jour (le hub détient tout le journal du nœud)\n";
  } else {
    std::cout << "synchronisation : le hub n'a pas encore " << head - *s.hub_tree_size
              << " entrée(s) du journal\n";
  }
  if (s.last_receipt) std::cout << "\n" << *s.last_receipt;
  return 0;
}

int Unblock(const Args& args) {
  const std::string region = args.Get("--region");
  auto db = NodeDatabase(args.Get("--database"));
  bool lifted = db->WithTransaction(
      [&](pqxx::work& txn) { return node::HubReplicationStore(txn, region).UnblockAppends(); });
  std::cout << (lifted ? "blocage du journal levé (la synchronisation le rétablit si le hub "
                         "n'est toujours pas cohérent avec ce nœud)\n"
                       : "le journal n'était pas bloqué\n");
  return 0;
}

}  // namespace

std::vector<Command> NodeCommands() {
  std::vector<Command> out;
  out.push_back(
      {{"node rotate-key",
        "journalise la rotation signée par l'ancienne clé ; redémarrer ensuite le "
        "nœud\navec --key-file NOUVELLE (nœud arrêté pendant l'opération)",
        {kNodeDatabase,
         kRegion,
         {"--key", "ANCIENNE", "le fichier de la clé actuelle", true},
         {"--next-key", "NOUVELLE", "le fichier de la nouvelle clé (essctl keygen)", true},
         kFederation}},
       RotateKey});
  out.push_back({{"node replication-status",
                  "ce que le nœud sait du hub : taille, dernier reçu, erreur, blocage du journal",
                  {kNodeDatabase, kRegion}},
                 ReplicationStatus});
  out.push_back({{"node unblock",
                  "lève le blocage du journal (après résolution, voir docs/replication.md)",
                  {kNodeDatabase, kRegion}},
                 Unblock});
  return out;
}

}  // namespace ess::essctl
