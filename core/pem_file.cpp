#include "core/pem_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ess {

std::string ReadPemFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status))
    throw std::runtime_error("fichier PEM introuvable : " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(status)) {
    throw std::runtime_error("fichier PEM illisible : " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string out = text.str();
  if (out.empty()) throw std::runtime_error("fichier PEM vide ou illisible : " + path);
  return out;
}

}  // namespace ess
