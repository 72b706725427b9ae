#pragma once
// essctl's command line: every command is a path of words ("region enrol") with its French
// usage and the options it takes, and a function run on the options read against that
// declaration. `essctl <path> --help` (or -h) prints the command's usage; a group's help
// ("essctl region --help") lists its commands. An unknown option, an option without its
// value or a stray word is a UsageError naming it (exit status 2, with the command's usage).

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ess::essctl {

// A mistake on the command line: the message names it; exit status 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct OptionSpec {
  std::string name;        // "--database"
  std::string value_name;  // "URL"; empty: a switch without value
  std::string help;        // French
  bool required = false;
  bool hidden = false;  // for the tests only: not in the usage
};

struct CommandSpec {
  std::string path;     // "region enrol"
  std::string summary;  // French, one or a few lines
  std::vector<OptionSpec> options;
};

// The options given to one command, read against its spec.
class Args {
 public:
  // Throws UsageError for an unknown option, a missing value, a word that is no option,
  // an option given twice, and (once all are read) a missing required option.
  Args(const CommandSpec& spec, std::span<const std::string> words);

  const CommandSpec& spec() const { return spec_; }
  bool Has(const std::string& option) const { return values_.count(option) > 0; }
  // The option's value, or `fallback` if not given.
  std::string Get(const std::string& option, const std::string& fallback = {}) const;
  // A non-negative integer (UsageError naming the option otherwise), or `fallback`.
  std::uint64_t Number(const std::string& option, std::uint64_t fallback = 0) const;

 private:
  const CommandSpec& spec_;
  std::map<std::string, std::string> values_;
};

struct Command {
  CommandSpec spec;
  std::function<int(const Args&)> run;
};

// The usage of one command: synopsis, summary, options (with -h, --help).
std::string CommandUsage(const CommandSpec& spec);

// Runs the command `words` name (argv without the program name) from `commands`: help,
// usage errors (exit 2) and failures (exit 1, the message on stderr) included.
int RunCommandLine(const std::vector<Command>& commands, const std::vector<std::string>& words);

}  // namespace ess::essctl
