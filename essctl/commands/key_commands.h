#pragma once
// essctl's key commands: keygen, pubkey, fingerprint, hub key.

#include <vector>

#include "essctl/command_line.h"

namespace ess::essctl {

std::vector<Command> KeyCommands();

}  // namespace ess::essctl
