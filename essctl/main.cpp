// essctl: the admin command line shared by node and hub admins.
//   essctl keygen --name NAME --out FILE     new Ed25519 key (signed-note format), prints the
//                                            verifier key and its fingerprint
//   essctl pubkey --key FILE                 prints the verifier key and fingerprint of a key

#include <iostream>
#include <string>
#include <vector>

#include "core/ed25519.h"
#include "core/key_file.h"

namespace {

constexpr const char* kUsage =
    "essctl : administration de la carte fédérée de l'ESS.\n\n"
    "Usage :\n"
    "  essctl keygen --name NOM --out FICHIER   crée une clé Ed25519 (mode 0600) et affiche\n"
    "                                          sa clé de vérification et son empreinte\n"
    "  essctl pubkey --key FICHIER              affiche la clé de vérification d'une clé\n"
    "  essctl --help                            cette aide\n";

// Returns the value following `flag`, or an empty string.
std::string Flag(const std::vector<std::string>& args, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) return args[i + 1];
  }
  return {};
}

void PrintPublic(const ess::NamedSigner& key) {
  std::cout << "clé de vérification : "
            << ess::FormatVerifierKey(key.name, key.signer.public_key()) << "\n"
            << "empreinte           : " << ess::KeyFingerprint(key.signer.public_key()) << "\n";
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
    throw std::invalid_argument("commande inconnue : " + command);
  } catch (const std::invalid_argument& e) {
    std::cerr << "essctl : " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "essctl : " << e.what() << "\n";
    return 1;
  }
}
