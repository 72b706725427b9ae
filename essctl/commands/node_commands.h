#pragma once
// essctl's commands on a node's database (node rotate-key, replication-status, unblock).

#include <vector>

#include "essctl/command_line.h"

namespace ess::essctl {

std::vector<Command> NodeCommands();

}  // namespace ess::essctl
