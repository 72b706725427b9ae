#include "node/service/sealed_link.h"

#include <span>

#include <sodium.h>

namespace ess::node {

static_assert(crypto_secretbox_KEYBYTES == kHashSize);

Bytes SealLink(const Hash& key, const std::string& link) {
  Bytes sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + link.size());
  RandomBytes(std::span(sealed.data(), crypto_secretbox_NONCEBYTES));
  crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(link.data()), link.size(),
                        sealed.data(), key.data());
  return sealed;
}

std::optional<std::string> OpenLink(const Hash& key, const Bytes& sealed) {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  std::string link(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(link.data()),
                                 sealed.data() + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(),
                                 key.data()) != 0) {
    return std::nullopt;
  }
  return link;
}

}  // namespace ess::node
