#include "node/domain/mail_templates.h"

#include <ctime>

namespace ess::node {

namespace {

constexpr const char* kSignature =
    "\n-- \nL'équipe du réseau régional de l'ESS\n"
    "Ce message est envoyé automatiquement ; pour toute question, répondez à votre réseau "
    "régional.\n";

std::string Quoted(const std::string& name) { return "« " + name + " »"; }

std::string LinkParagraph(const std::string& link_placeholder, const std::string& expires_on) {
  return "Votre lien privé (valable jusqu'au " + expires_on + ") :\n" + link_placeholder +
         "\n\nCe lien est personnel : il permet de modifier la fiche sans mot de passe. Ne le "
         "transmettez qu'aux personnes qui s'en occupent avec vous.\n";
}

}  // namespace

std::string MailDate(UnixSeconds t) {
  static const char* const kMonths[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  const std::string day = tm.tm_mday == 1 ? "1er" : std::to_string(tm.tm_mday);
  return day + " " + kMonths[tm.tm_mon] + " " + std::to_string(tm.tm_year + 1900);
}

MailText RegistrationMail(const std::string& initiative_name, const std::string& link_placeholder,
                          const std::string& expires_on) {
  return {"Votre initiative a bien été reçue",
          "Bonjour,\n\nVotre initiative " + Quoted(initiative_name) +
              " a bien été enregistrée et transmise au comité d'éthique régional. Elle "
              "paraîtra sur la carte une fois admise ; vous serez prévenu de sa décision.\n\n"
              "Avec le lien ci-dessous, vous pouvez suivre son examen et la modifier.\n\n" +
              LinkParagraph(link_placeholder, expires_on) + kSignature};
}

MailText ReminderMail(const std::string& initiative_name, const std::string& valid_until,
                      const std::string& link_placeholder, const std::string& expires_on) {
  return {"Votre fiche est-elle toujours à jour ?",
          "Bonjour,\n\nLa fiche de " + Quoted(initiative_name) + " est valable jusqu'au " +
              valid_until +
              ". Pour qu'elle reste visible sur la carte, confirmez qu'elle est toujours à jour "
              "ou modifiez-la.\n\n" +
              LinkParagraph(link_placeholder, expires_on) + kSignature};
}

MailText NewLinkMail(const std::string& initiative_name, const std::string& link_placeholder,
                     const std::string& expires_on) {
  return {"Votre lien de modification",
          "Bonjour,\n\nVoici un nouveau lien pour tenir à jour la fiche de " +
              Quoted(initiative_name) + ". Les liens envoyés auparavant ne fonctionnent plus.\n\n" +
              LinkParagraph(link_placeholder, expires_on) + kSignature};
}

MailText EditedOnYourBehalfMail(const std::string& initiative_name, const std::string& editor,
                                const std::string& reason, const std::string& record_url) {
  std::string body = "Bonjour,\n\nLa fiche de " + Quoted(initiative_name) +
                     " a été modifiée pour vous par " + editor + ", du réseau régional.\n";
  if (!reason.empty()) body += "\nMotif : " + reason + "\n";
  body += "\nVous pouvez la consulter ici :\n" + record_url +
          "\n\nSi cette modification ne vous convient pas, répondez à votre réseau régional.\n";
  return {"Votre fiche a été modifiée par le réseau régional", body + kSignature};
}

MailText ChangesRequestedMail(const std::string& initiative_name,
                              const std::vector<std::string>& reasons,
                              const std::string& link_placeholder, const std::string& expires_on) {
  std::string body = "Bonjour,\n\nLe comité d'éthique régional a examiné " +
                     Quoted(initiative_name) + " et vous demande des modifications";
  if (reasons.empty()) {
    body += ".\n";
  } else {
    body += " :\n";
    for (const auto& reason : reasons) body += "- " + reason + "\n";
  }
  body += "\nUne fois la fiche modifiée, elle repartira au comité.\n\n" +
          LinkParagraph(link_placeholder, expires_on);
  return {"Le comité demande des modifications", body + kSignature};
}

MailText MemberInvitationMail(const std::string& member_name, const std::string& region_name,
                              const std::string& link_placeholder, const std::string& expires_on) {
  return {"Votre invitation à l'espace du réseau " + region_name,
          "Bonjour " + member_name +
              ",\n\nVous êtes invité à rejoindre l'espace de travail du "
              "réseau régional de l'ESS " +
              region_name +
              ". Choisissez votre mot de passe avec le lien ci-dessous (valable jusqu'au " +
              expires_on + ") :\n" + link_placeholder +
              "\n\nCe lien ne sert qu'une fois. Si vous n'attendiez pas cette invitation, "
              "ignorez ce message.\n" +
              kSignature};
}

}  // namespace ess::node
