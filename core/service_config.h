#pragma once
// Shared pieces of the node's and hub's configuration: "host:port" listen addresses and the
// ready file a supervisor (tests, the demo) reads to learn the ports chosen when 0 was asked.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

// "host:port" or ":port"; nullopt with a reason in `error` otherwise.
std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error);

// Writes {"name": port, ...} as JSON to `path` atomically (write then rename).
void WriteReadyFile(const std::string& path, const std::map<std::string, std::uint16_t>& ports);

}  // namespace ess
