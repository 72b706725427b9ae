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

// A password drawn at random for an account created or reset by an admin (printed once, to
// be passed on through a safe channel): kDrawnPasswordLength characters of letters and digits
// without the look-alikes (0/O, 1/l/I), about 116 bits, and always one WeakPasswordReason
// accepts for this account (a draw cracklib refuses, such as one holding a dictionary word, is
// drawn again). Throws std::runtime_error if no draw passes, which only a broken dictionary
// could cause.
inline constexpr std::size_t kDrawnPasswordLength = 20;
std::string DrawPassword(std::string_view email, std::string_view display_name);

}  // namespace ess
