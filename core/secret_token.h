#pragma once
// Random secret tokens (session cookies, CSRF tokens, private edit links) and the digest a
// service stores instead of the token itself: a database leak then yields no usable token.

#include <string>
#include <string_view>

#include "core/bytes.h"

namespace ess {

// 32 random bytes as 64 lower-case hex digits.
std::string NewSecretToken();
// SHA-256 of the token's text, to store and look up.
Hash SecretTokenHash(std::string_view token);
// True iff `token` has the form NewSecretToken() produces (cheap check before any lookup).
bool IsWellFormedSecretToken(std::string_view token);
// Constant-time equality of two tokens (any lengths; different lengths compare unequal).
bool SecretTokensEqual(std::string_view a, std::string_view b);

}  // namespace ess
