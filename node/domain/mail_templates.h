#pragma once
// The French texts of the messages a node sends (the outbox, node/mail/): one function per
// kind of message, each returning a subject and a plain-text body (UTF-8). No sockets, no
// database: what the message says, nothing about how it travels.
//
// A private link never goes in clear into a stored body: callers pass kMaskedLink
// (node/service/initiative_service.h) as `link_placeholder` and seal the real link
// (node/service/sealed_link.h); the sender puts it back just before sending.
// Dates (`expires_on`, `valid_until`) are passed as the reader should see them: MailDate.

#include <string>
#include <vector>

#include "node/domain/time_format.h"

namespace ess::node {

struct MailText {
  std::string subject, body;  // body plain text, French (UTF-8), lines ended by "\n"
};

// A day as a French letter writes it, in UTC: "1er décembre 2027", "15 mars 2026".
std::string MailDate(UnixSeconds t);

// To the contact of an initiative just registered: it goes to the committee, and the
// private link to follow or change it.
MailText RegistrationMail(const std::string& initiative_name, const std::string& link_placeholder,
                          const std::string& expires_on);
// Freshness reminder: the record is valid until `valid_until`; confirm or change it.
MailText ReminderMail(const std::string& initiative_name, const std::string& valid_until,
                      const std::string& link_placeholder, const std::string& expires_on);
// A new private link, reissued by the region's animator (the old ones revoked or lost).
MailText NewLinkMail(const std::string& initiative_name, const std::string& link_placeholder,
                     const std::string& expires_on);
// The record was changed by `editor` on the owner's behalf, for `reason`; `record_url` is
// its public (or owner's) page.
MailText EditedOnYourBehalfMail(const std::string& initiative_name, const std::string& editor,
                                const std::string& reason, const std::string& record_url);
// The committee asks for changes, for `reasons` (one line each; may be empty).
MailText ChangesRequestedMail(const std::string& initiative_name,
                              const std::vector<std::string>& reasons,
                              const std::string& link_placeholder, const std::string& expires_on);
// An invitation for a committee member or staff account to set their own password.
MailText MemberInvitationMail(const std::string& member_name, const std::string& region_name,
                              const std::string& link_placeholder, const std::string& expires_on);

}  // namespace ess::node
