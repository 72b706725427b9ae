#pragma once
// A region's signing key on disk: one line, the signed-note signer key
// ("PRIVATE+KEY+<name>+<key id>+<base64>"), file mode 0600.

#include <string>

#include "core/ed25519.h"

namespace ess {

// Throws std::runtime_error with a French message naming the file if it is missing,
// unreadable, malformed, or readable by others than its owner.
NamedSigner ReadKeyFile(const std::string& path);
// Creates the file with mode 0600; refuses to overwrite an existing file.
void WriteKeyFile(const std::string& path, const NamedSigner& key);

}  // namespace ess
