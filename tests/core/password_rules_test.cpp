#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/password_rules.h"
#include "core/text_fold.h"

using namespace ess;

TEST_CASE("a drawn password always passes the rules for its account, and draws differ") {
  std::set<std::string> drawn;
  for (int i = 0; i < 300; ++i) {
    const std::string password = DrawPassword("camille.pilote@example.org", "Camille Pilote");
    CHECK(password.size() == kDrawnPasswordLength);
    CHECK(password.find_first_not_of("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") ==
          std::string::npos);
    CHECK_FALSE(WeakPasswordReason(password, "camille.pilote@example.org", "Camille Pilote"));
    drawn.insert(password);
  }
  CHECK(drawn.size() == 300);
}

TEST_CASE("the rules refuse the short, the common, the systematic and the account's own name") {
  CHECK(WeakPasswordReason("court", "a@example.org", "A") ==
        "Le mot de passe doit compter de 12 à 200 caractères.");
  CHECK(WeakPasswordReason("123456789012", "a@example.org", "A").has_value());
  CHECK(WeakPasswordReason("camillepilote1", "camillepilote@example.org", "Camille Pilote")
            .has_value());
  CHECK_FALSE(WeakPasswordReason("vélo rouge sous la pluie d'avril", "a@example.org", "A"));
}

TEST_CASE("AsciiLower lowers ASCII letters only") {
  CHECK(AsciiLower("Pilote@Example.ORG") == "pilote@example.org");
  CHECK(AsciiLower("Élise-X_9") == "Élise-x_9");
}
