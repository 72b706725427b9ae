#include "core/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace ess {

NamedSigner ReadKeyFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("clé introuvable : " + path + " (créez-la avec « essctl keygen »)");
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    throw std::runtime_error("clé lisible par d'autres que son propriétaire : " + path +
                             " (chmod 600)");
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  auto key = ParseSignerKey(line);
  if (!key) throw std::runtime_error("clé illisible : " + path);
  return *key;
}

void WriteKeyFile(const std::string& path, const NamedSigner& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("impossible de créer " + path + " (existe déjà ?)");
  std::string text = FormatSignerKey(key.name, key.signer) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) throw std::runtime_error("écriture impossible : " + path);
}

}  // namespace ess
