#pragma once
// essctl's commands that read a region's log from a hub's or a node's database (verify, status,
// export), docs/operations.md.

#include <vector>

#include "essctl/command_line.h"

namespace ess::essctl {

std::vector<Command> LogCommands();

}  // namespace ess::essctl
