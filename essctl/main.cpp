// essctl: the admin command line shared by node and hub admins (docs/replication.md,
// docs/operations.md). A composition root: every command is declared, with its options and
// usage, in essctl/commands/.

#include <string>
#include <vector>

#include "essctl/command_line.h"
#include "essctl/commands/key_commands.h"
#include "essctl/commands/log_commands.h"
#include "essctl/commands/node_commands.h"
#include "essctl/commands/pilot_commands.h"
#include "essctl/commands/region_commands.h"

int main(int argc, char** argv) {
  using namespace ess::essctl;
  std::vector<Command> commands;
  for (auto group : {KeyCommands, RegionCommands, PilotCommands, NodeCommands, LogCommands}) {
    auto more = group();
    commands.insert(commands.end(), more.begin(), more.end());
  }
  return RunCommandLine(commands, std::vector<std::string>(argv + 1, argv + argc));
}
