// core's one PEM reader (core/pem_file.h), for the TLS options of the node and the hub.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "core/pem_file.h"

using ess::ReadPemFile;

TEST_CASE("PEM files: read whole; a missing, empty or unreadable one names the file") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ess_pem_test_" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  const std::string pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  std::ofstream((dir / "cert.pem").string()) << pem;
  std::ofstream((dir / "empty.pem").string());
  CHECK(ReadPemFile((dir / "cert.pem").string()) == pem);
  auto message = [](const std::string& path) {
    try {
      ReadPemFile(path);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string missing = (dir / "missing.pem").string();
  CHECK(message(missing) == "fichier PEM introuvable : " + missing);
  CHECK(message((dir / "empty.pem").string()).find("vide") != std::string::npos);
  CHECK(message(dir.string()) == "fichier PEM illisible : " + dir.string());
  std::filesystem::remove_all(dir);
}
