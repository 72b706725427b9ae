// The French texts of the node's messages (node/domain/mail_templates.h).
#include <doctest/doctest.h>

#include "node/domain/mail_templates.h"

using namespace ess::node;

namespace {
bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("MailDate writes the day as a French letter does, in UTC") {
  CHECK(MailDate(*ParseRfc3339("2027-12-01T23:59:59Z")) == "1er décembre 2027");
  CHECK(MailDate(*ParseRfc3339("2026-03-15T00:00:00Z")) == "15 mars 2026");
  CHECK(MailDate(*ParseRfc3339("2026-08-31T12:00:00Z")) == "31 août 2026");
}

TEST_CASE("each message names the initiative, carries the link placeholder once and its expiry") {
  const std::string link = "« lien privé masqué »";
  const std::vector<MailText> mails = {
      RegistrationMail("La Ressourcerie", link, "1er février 2027"),
      ReminderMail("La Ressourcerie", "3 janvier 2027", link, "1er février 2027"),
      NewLinkMail("La Ressourcerie", link, "1er février 2027"),
      ChangesRequestedMail("La Ressourcerie", {"Horaires manquants", "Photo floue"}, link,
                           "1er février 2027"),
  };
  for (const auto& mail : mails) {
    CHECK_FALSE(mail.subject.empty());
    CHECK(mail.subject.find('\n') == std::string::npos);
    CHECK(Has(mail.body, "« La Ressourcerie »"));
    CHECK(Has(mail.body, "valable jusqu'au 1er février 2027"));
    const auto at = mail.body.find(link);
    REQUIRE(at != std::string::npos);
    CHECK(mail.body.find(link, at + 1) == std::string::npos);  // the sender replaces one
    CHECK(Has(mail.body, "L'équipe du réseau régional"));
  }
  CHECK(mails[0].subject == "Votre initiative a bien été reçue");
  CHECK(Has(mails[0].body, "comité d'éthique régional"));
  CHECK(Has(mails[1].body, "valable jusqu'au 3 janvier 2027. "));
  CHECK(Has(mails[3].body, "- Horaires manquants\n- Photo floue\n"));
}

TEST_CASE("changes requested without reasons still reads as a sentence") {
  auto mail = ChangesRequestedMail("X", {}, "L", "2 mai 2027");
  CHECK(Has(mail.body, "vous demande des modifications.\n"));
}

TEST_CASE("edited on your behalf names who, why and where; an invitation names the region") {
  auto edited =
      EditedOnYourBehalfMail("La Ressourcerie", "Camille Martin", "Nouveau numéro de téléphone",
                             "https://carte.example/initiative/1");
  CHECK(Has(edited.body, "par Camille Martin"));
  CHECK(Has(edited.body, "Motif : Nouveau numéro de téléphone"));
  CHECK(Has(edited.body, "https://carte.example/initiative/1"));
  CHECK_FALSE(Has(EditedOnYourBehalfMail("X", "Y", "", "U").body, "Motif"));
  auto invitation =
      MemberInvitationMail("Dominique", "Provence-Alpes-Côte d'Azur", "L", "9 juin 2027");
  CHECK(Has(invitation.subject, "Provence-Alpes-Côte d'Azur"));
  CHECK(Has(invitation.body, "Bonjour Dominique,"));
  CHECK(Has(invitation.body, "(valable jusqu'au 9 juin 2027) :\nL\n"));
}
