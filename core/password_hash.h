#pragma once
// Account passwords hashed with Argon2id (libsodium crypto_pwhash_str): the stored string
// carries the algorithm, its parameters and a random salt. Costs are configurable: the
// defaults are libsodium's "moderate" limits; tests use the minimum ones.

#include <cstddef>
#include <string>
#include <string_view>

namespace ess {

struct PasswordHashCost {
  unsigned long long ops_limit;  // Argon2id passes
  std::size_t mem_limit;         // bytes
  static PasswordHashCost Moderate();
  static PasswordHashCost Minimum();  // fast, for tests only
};

class PasswordHasher {
 public:
  // Throws std::invalid_argument if the cost is outside libsodium's bounds.
  explicit PasswordHasher(PasswordHashCost cost);

  // Throws std::runtime_error if libsodium runs out of memory.
  std::string Hash(std::string_view password) const;
  // False for a wrong password or a string that is not an Argon2id hash. Its time does not
  // depend on where the password differs.
  bool Verify(std::string_view stored_hash, std::string_view password) const;

 private:
  PasswordHashCost cost_;
};

}  // namespace ess
