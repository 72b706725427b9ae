#include "essctl/commands/key_commands.h"

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "core/checkpoint.h"
#include "core/ed25519.h"
#include "core/key_file.h"
#include "essctl/commands/key_output.h"

namespace ess::essctl {

void PrintPublic(const NamedSigner& key) {
  std::cout << "clé de vérification : " << FormatVerifierKey(key.name, key.signer.public_key())
            << "\n"
            << "empreinte           : " << KeyFingerprint(key.signer.public_key()) << "\n";
}

std::vector<Command> KeyCommands() {
  std::vector<Command> out;
  out.push_back(
      {{"keygen",
        "crée une clé Ed25519 (mode 0600) et affiche sa clé de vérification et son "
        "empreinte",
        {{"--name", "NOM", "nom de la clé (ess-federation/region/CODE, ess-federation/hub)", true},
         {"--out", "FICHIER", "fichier de la clé, créé en mode 0600", true}}},
       [](const Args& args) {
         const std::string name = args.Get("--name");
         if (!IsValidKeyName(name)) {
           throw UsageError("keygen : nom de clé invalide (ni espace ni « + »)");
         }
         NamedSigner key{name, Ed25519Signer::Generate()};
         WriteKeyFile(args.Get("--out"), key);
         PrintPublic(key);
         return 0;
       }});
  out.push_back(
      {{"pubkey",
        "affiche la clé de vérification d'une clé et son empreinte ; avec --out, l'écrit\n"
        "aussi seule sur une ligne dans un fichier (à envoyer à l'administrateur du hub,\n"
        "qui l'inscrit avec essctl region enrol --verifier-key \"$(cat FICHIER)\")",
        {{"--key", "FICHIER", "fichier de la clé", true},
         {"--out", "FICHIER", "fichier où écrire la clé de vérification (publique)"}}},
       [](const Args& args) {
         const NamedSigner key = ReadKeyFile(args.Get("--key"));
         if (args.Has("--out")) {
           const std::string path = args.Get("--out");
           std::ofstream out(path, std::ios::trunc);
           out << FormatVerifierKey(key.name, key.signer.public_key()) << "\n";
           out.close();
           if (!out) throw std::runtime_error("pubkey : impossible d'écrire " + path);
         }
         PrintPublic(key);
         return 0;
       }});
  out.push_back({{"fingerprint",
                  "affiche l'empreinte d'une clé de vérification",
                  {{"--verifier-key", "CLÉ", "la clé de vérification (NOM+ID+BASE64)", true}}},
                 [](const Args& args) {
                   auto key = ParseVerifierKey(args.Get("--verifier-key"));
                   if (!key) throw UsageError("fingerprint : clé de vérification illisible");
                   std::cout << "nom       : " << key->name
                             << "\nempreinte : " << KeyFingerprint(key->public_key) << "\n";
                   return 0;
                 }});
  // The hub's cosigning key as GET /api/hub/key serves it (hub/api/hub_http_api.cpp): same
  // verifier key string (cosigner form, algorithm byte 0x04), same fingerprint.
  out.push_back({{"hub key",
                  "clé de contresignature du hub sous la forme que publie GET /api/hub/key\n"
                  "(cosignature C2SP) et son empreinte : ce qui vérifie les reçus des régions",
                  {{"--key-file", "FICHIER", "la clé du hub", true}}},
                 [](const Args& args) {
                   auto key = ReadKeyFile(args.Get("--key-file"));
                   const auto& public_key = key.signer.public_key();
                   std::cout << "nom                 : " << key.name << "\n"
                             << "clé de vérification : "
                             << FormatCosignerVerifierKey(key.name, public_key) << "\n"
                             << "clé publique        : " << ToBase64(public_key) << "\n"
                             << "empreinte           : " << KeyFingerprint(public_key) << "\n";
                   return 0;
                 }});
  return out;
}

}  // namespace ess::essctl
