#pragma once
// Private links kept out of stored text: a message queued in the outbox (or any stored
// text) holds kMaskedLink where the link goes, and the link itself sealed with
// crypto_secretbox under a node secret (InitiativeStore::NodeSecret("outbox_link")). The
// mail sender opens it just before sending (node/mail/).

#include <optional>
#include <string>

#include "core/bytes.h"

namespace ess::node {

// The node secret (node_secret table) that seals the outbox's links.
inline constexpr const char* kOutboxLinkSecret = "outbox_link";

// Nonce (random) then ciphertext of `link` under `key`.
Bytes SealLink(const Hash& key, const std::string& link);
// nullopt when `sealed` does not open with `key` (damaged, or sealed with another key).
std::optional<std::string> OpenLink(const Hash& key, const Bytes& sealed);

}  // namespace ess::node
