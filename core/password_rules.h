#pragma once
// The rules a new staff password must follow, the node's staff and the hub's pilots alike
// (docs/decisions/0005-password-rules.md): 12 to 200 characters, and not easy to guess
// according to Debian's cracklib (FascistCheckUser with the system's default dictionary,
// /var/cache/cracklib/cracklib_dict, maintained by the cracklib-runtime package): no
// dictionary word (plain, reversed or lightly mangled), not too simple or systematic
// ("123456789012", "abcdefghijkl"), enough different characters, and not derived from the
// account's email or name. Applied when a password is chosen (account creation, password
// change); existing passwords keep working.
//
// The reasons are French: cracklib's English reason is mapped to a message, never shown.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

inline constexpr std::size_t kPasswordMin = 12, kPasswordMax = 200;

// Why `password` breaks a rule (French, for the person choosing it); nullopt when it is
// acceptable. `email` and `display_name` are the account's. Thread-safe (cracklib is not:
// calls are serialised). Throws std::runtime_error when cracklib's dictionary cannot be read
// (cracklib-runtime missing).
std::optional<std::string> WeakPasswordReason(std::string_view password, std::string_view email,
                                              std::string_view display_name);

}  // namespace ess
