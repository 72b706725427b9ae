#pragma once
// essctl's national pilot accounts at the hub (pilot add, set-password, disable, enable, list).

#include <vector>

#include "essctl/command_line.h"

namespace ess::essctl {

std::vector<Command> PilotCommands();

}  // namespace ess::essctl
