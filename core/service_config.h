#pragma once
// Shared pieces of the node's and hub's configuration: reading the command line and the
// configuration file, "host:port" listen addresses, and the ready file a supervisor (tests,
// the demo) reads to learn the ports chosen when 0 was asked.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

namespace ess {

// Reads `command_line` and `settings` from the command line, then `settings` from the INI
// file named by --config when there is one (the command line wins), and runs notify().
// `command_line` declares "help" and "config". Returns false when --help was asked, after
// printing `usage` and every option on standard output. Throws on an unknown option, a bad
// value, a missing required one or an unreadable file.
bool ReadOptions(int argc, const char* const argv[], const boost::program_options::options_description& command_line,
                 const boost::program_options::options_description& settings, std::string_view usage,
                 boost::program_options::variables_map& values);

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

// "host:port" or ":port"; nullopt with a reason in `error` otherwise.
std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error);

// Writes {"name": port, ...} as JSON to `path` atomically (write then rename).
void WriteReadyFile(const std::string& path, const std::map<std::string, std::uint16_t>& ports);

}  // namespace ess
