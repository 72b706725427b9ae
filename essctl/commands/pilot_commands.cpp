#include "essctl/commands/pilot_commands.h"

#include <iostream>

#include "core/clock.h"
#include "core/password_rules.h"
#include "core/text_fold.h"
#include "essctl/databases.h"
#include "hub/pilot/pilot_accounts.h"

namespace ess::essctl {

namespace {

const OptionSpec kHubDatabase{
    "--database", "URL", "la base du hub (URI libpq) ; son schéma est mis à jour au besoin", true};
const OptionSpec kEmail{"--email", "ADRESSE", "l'adresse du compte", true};
const OptionSpec kPasswordStdin{"--password-stdin", "",
                                "lit le mot de passe sur l'entrée standard (une ligne) au lieu "
                                "d'en tirer un au hasard"};
// The hashing cost: the hub's default; the tests pass a small one (the hub verifies a hash
// with the cost written in it).
const OptionSpec kPasswordOps{"--password-ops", "N", "", false, true};
const OptionSpec kPasswordMem{"--password-mem-kib", "N", "", false, true};

// A password given on standard input (one line, its line end removed), or one drawn at
// random for this account (printed once by the caller). Never from the command line, which
// other users of the machine can read.
std::string PilotPassword(const Args& args, std::string_view email, std::string_view name,
                          bool& drawn) {
  drawn = !args.Has("--password-stdin");
  if (drawn) return DrawPassword(email, name);
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw UsageError("pilot : mot de passe vide sur l'entrée standard");
  return line;
}

int Refused(const hub::PilotRefusal& r) {
  std::cerr << "essctl : refusé : " << r.message << "\n";
  return 1;
}

template <typename Work>
int WithPilots(const Args& args, Work&& work) {
  auto pool = HubDatabase(args.Get("--database"));
  SystemClock clock;
  hub::PilotSecurity security;
  if (args.Has("--password-ops")) security.cost.ops_limit = args.Number("--password-ops");
  if (args.Has("--password-mem-kib")) {
    security.cost.mem_limit = args.Number("--password-mem-kib") * 1024;
  }
  hub::PilotAccounts pilots(*pool, clock, security);
  return work(pilots);
}

int SetPassword(const Args& args, bool create) {
  return WithPilots(args, [&](hub::PilotAccounts& pilots) {
    const std::string email = args.Get("--email");
    // The name the drawn password must not resemble: the new account's, or the existing one's.
    std::string name;
    if (create) {
      name = args.Get("--name");
    } else {
      for (const auto& a : pilots.All()) {
        if (a.email == AsciiLower(email)) name = a.display_name;
      }
    }
    bool drawn = false;
    const std::string password = PilotPassword(args, email, name, drawn);
    if (create) {
      auto created = pilots.Create(email, name, password);
      if (!created.ok()) return Refused(created.refusal);
      std::cout << "compte de pilotage créé : " << created.value->email << " ("
                << created.value->display_name << ")\n";
    } else {
      auto changed = pilots.SetPassword(email, password);
      if (!changed.ok()) return Refused(changed.refusal);
      std::cout << "mot de passe changé pour " << email << " ; ses sessions sont fermées\n";
    }
    if (drawn) {
      std::cout << "mot de passe (affiché une seule fois, à transmettre par un canal sûr) : "
                << password << "\n";
    }
    return 0;
  });
}

int SetActive(const Args& args, bool active) {
  return WithPilots(args, [&](hub::PilotAccounts& pilots) {
    const std::string email = args.Get("--email");
    if (!pilots.SetActive(email, active)) {
      std::cerr << "essctl : aucun compte de pilotage pour " << email << "\n";
      return 1;
    }
    std::cout << "compte " << email << (active ? " rétabli" : " suspendu") << "\n";
    return 0;
  });
}

}  // namespace

std::vector<Command> PilotCommands() {
  std::vector<Command> out;
  out.push_back({{"pilot add",
                  "crée un compte de pilotage ; sans --password-stdin, affiche une fois un mot "
                  "de passe\ntiré au hasard, à transmettre à la personne par un canal sûr",
                  {kHubDatabase,
                   kEmail,
                   {"--name", "NOM", "le nom de la personne", true},
                   kPasswordStdin,
                   kPasswordOps,
                   kPasswordMem}},
                 [](const Args& args) { return SetPassword(args, true); }});
  out.push_back({{"pilot set-password",
                  "nouveau mot de passe (tiré au hasard ou lu sur l'entrée) ; ses sessions se "
                  "ferment",
                  {kHubDatabase, kEmail, kPasswordStdin, kPasswordOps, kPasswordMem}},
                 [](const Args& args) { return SetPassword(args, false); }});
  out.push_back(
      {{"pilot disable", "suspend un compte (ses sessions se ferment)", {kHubDatabase, kEmail}},
       [](const Args& args) { return SetActive(args, false); }});
  out.push_back({{"pilot enable", "rétablit un compte suspendu", {kHubDatabase, kEmail}},
                 [](const Args& args) { return SetActive(args, true); }});
  out.push_back({{"pilot list", "les comptes de pilotage", {kHubDatabase}}, [](const Args& args) {
                   return WithPilots(args, [](hub::PilotAccounts& pilots) {
                     for (const auto& a : pilots.All()) {
                       std::cout << a.email << " (" << a.display_name << ") : " << a.role << ", "
                                 << (a.active ? "actif" : "suspendu") << ", créé le "
                                 << a.created_at << "\n";
                     }
                     return 0;
                   });
                 }});
  return out;
}

}  // namespace ess::essctl
