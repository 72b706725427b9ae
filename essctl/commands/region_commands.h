#pragma once
// essctl's commands for the regions enrolled at the hub (region enrol, add-key, revoke-key, show,
// reactivate, reset).

#include <vector>

#include "essctl/command_line.h"

namespace ess::essctl {

std::vector<Command> RegionCommands();

}  // namespace ess::essctl
