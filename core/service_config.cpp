#include "core/service_config.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ess {

namespace po = boost::program_options;

bool ReadOptions(int argc, const char* const argv[], const po::options_description& command_line,
                 const po::options_description& settings, std::string_view usage, po::variables_map& values) {
  po::options_description all;
  all.add(command_line).add(settings);
  po::store(po::parse_command_line(argc, argv, all), values);
  if (values.count("help")) {
    std::cout << usage << "\n" << all << "\n";
    return false;
  }
  if (values.count("config")) {
    const auto path = values["config"].as<std::string>();  // notify() has not run yet
    std::ifstream file(path);
    if (!file) throw std::runtime_error("fichier de configuration illisible : " + path);
    po::store(po::parse_config_file(file, settings), values);
  }
  po::notify(values);
  return true;
}

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
