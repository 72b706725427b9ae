#include "core/password_rules.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <stdexcept>

extern "C" {
#include <crack.h>
}

#include "core/bytes.h"
#include "core/field_rules.h"

namespace ess {

namespace {

// cracklib's reasons (cracklib 2.9, lib/fascist.c) and what the person is told.
std::string FrenchReason(std::string_view reason) {
  auto has = [&](std::string_view part) { return reason.find(part) != std::string_view::npos; };
  if (has("dictionary word")) {
    return "Ce mot de passe est trop courant : il repose sur un mot du dictionnaire. "
           "Choisissez plutôt une phrase de plusieurs mots.";
  }
  if (has("DIFFERENT characters"))
    return "Ce mot de passe ne contient pas assez de caractères différents.";
  if (has("simplistic/systematic")) {
    return "Ce mot de passe est trop simple (suite de chiffres, de lettres ou de touches du "
           "clavier).";
  }
  if (has("username") || has("password entry")) {
    return "Ce mot de passe ressemble trop à l'adresse ou au nom du compte.";
  }
  if (has("whitespace")) return "Le mot de passe ne peut pas être fait que d'espaces.";
  return "Ce mot de passe est trop facile à deviner.";
}

}  // namespace

std::optional<std::string> WeakPasswordReason(std::string_view password, std::string_view email,
                                              std::string_view display_name) {
  auto length = Utf8Length(password);
  if (!length || *length < kPasswordMin || *length > kPasswordMax) {
    return "Le mot de passe doit compter de 12 à 200 caractères.";
  }
  // cracklib reads C strings: a NUL inside would hide the rest of the password from it.
  if (password.find('\0') != std::string_view::npos) {
    return "Le mot de passe contient un caractère interdit.";
  }
  const std::string text(password), user(email.substr(0, email.find('@'))), gecos(display_name);
  static std::mutex cracklib;
  std::lock_guard lock(cracklib);
  const char* reason =
      FascistCheckUser(text.c_str(), GetDefaultCracklibDict(), user.c_str(), gecos.c_str());
  if (!reason) return std::nullopt;
  if (std::string_view(reason).find("error loading dictionary") != std::string_view::npos) {
    throw std::runtime_error(std::string("cracklib: dictionary ") + GetDefaultCracklibDict() +
                             " unreadable (install cracklib-runtime)");
  }
  return FrenchReason(reason);
}

std::string DrawPassword(std::string_view email, std::string_view display_name) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  // Bytes at or above the largest multiple of the alphabet's size are dropped, so every
  // character is equally likely.
  constexpr unsigned kUsable = 256 / kAlphabet.size() * kAlphabet.size();
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::string password;
    while (password.size() < kDrawnPasswordLength) {
      std::array<std::uint8_t, 32> raw;
      RandomBytes(raw);
      for (std::uint8_t b : raw) {
        if (b < kUsable && password.size() < kDrawnPasswordLength) {
          password.push_back(kAlphabet[b % kAlphabet.size()]);
        }
      }
    }
    if (!WeakPasswordReason(password, email, display_name)) return password;
  }
  throw std::runtime_error("no drawn password passes the password rules (cracklib dictionary?)");
}

}  // namespace ess
