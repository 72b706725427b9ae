#pragma once
// How essctl prints a key's public half (keygen, pubkey, node rotate-key).

#include "core/key_file.h"

namespace ess::essctl {

// "clé de vérification : ..." and "empreinte : ..." lines on stdout.
void PrintPublic(const NamedSigner& key);

}  // namespace ess::essctl
