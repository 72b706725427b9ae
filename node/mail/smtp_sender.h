#pragma once
// The MailSender of the node: SMTP through libcurl (docs/decisions/0009-smtp-through-libcurl.md).
// One connection per message (a node sends a few hundred a day); curl does the protocol,
// STARTTLS or implicit TLS, authentication and the dot-stuffing of the body.

#include <chrono>
#include <string>

#include "node/mail/mail_message.h"
#include "node/mail/outbox_delivery.h"

namespace ess::node {

struct SmtpOptions {
  // "smtp://relay.example:587" (STARTTLS, see starttls) or "smtps://relay.example:465"
  // (TLS from the first byte).
  std::string url;
  std::string user, password;  // empty user: no authentication
  // For smtp://: true = STARTTLS required (the message is not sent in clear; curl's
  // CURLUSESSL_ALL), false = in clear (a relay on loopback).
  bool starttls = true;
  std::string ca_file;  // empty: the system's certificate authorities
  MailIdentity from;
  std::chrono::seconds connect_timeout{15}, timeout{60};
};

class SmtpSender final : public MailSender {
 public:
  explicit SmtpSender(SmtpOptions options);
  // 250 = kSent; a 5xx reply to the recipient or the message = kPermanent; everything
  // else (connection refused, timeout, 4xx, TLS or authentication required or refused:
  // 530, 534, 535, 538) = kTemporary.
  // `answer` holds curl's error and the relay's last reply line.
  SendResult Send(const OutgoingMail& mail) override;

 private:
  SmtpOptions options_;
};

}  // namespace ess::node
