#include "core/password_hash.h"

#include <sodium.h>

#include <stdexcept>

namespace ess {

PasswordHashCost PasswordHashCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

PasswordHashCost PasswordHashCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordHashCost cost) : cost_(cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium: initialisation impossible");
  if (cost.ops_limit < crypto_pwhash_OPSLIMIT_MIN || cost.ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
      cost.mem_limit < crypto_pwhash_MEMLIMIT_MIN || cost.mem_limit > crypto_pwhash_MEMLIMIT_MAX) {
    throw std::invalid_argument("coût Argon2id hors des bornes de libsodium");
  }
}

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops_limit,
                            cost_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id : mémoire insuffisante");
  }
  return out;
}

bool PasswordHasher::Verify(std::string_view stored_hash, std::string_view password) const {
  std::string stored(stored_hash);  // crypto_pwhash_str_verify wants a NUL-terminated string
  if (stored.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

}  // namespace ess
