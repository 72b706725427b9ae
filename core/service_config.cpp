#include "core/service_config.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ess {

std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    if (error) *error = "adresse « " + std::string(text) + " » sans port (attendu hôte:port)";
    return std::nullopt;
  }
  ListenAddress out;
  if (colon > 0) out.host = std::string(text.substr(0, colon));
  std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    if (error) *error = "port invalide dans « " + std::string(text) + " »";
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

void WriteReadyFile(const std::string& path, const std::map<std::string, std::uint16_t>& ports) {
  nlohmann::json j(ports);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out) throw std::runtime_error("cannot write ready file " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename ready file to " + path);
  }
}

}  // namespace ess
