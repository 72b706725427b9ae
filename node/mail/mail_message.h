#pragma once
// One outbox message as it travels over SMTP (RFC 5322): headers, then the plain-text body
// in quoted-printable, lines ended by CRLF. Pure functions, no sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ess::node {

// The largest message the node sends (headers and encoded body); a longer one is refused
// before it reaches the relay.
inline constexpr std::size_t kMaxMailBytes = 256 * 1024;

struct OutgoingMail {
  std::int64_t id = 0;            // the outbox message's id
  std::int64_t created_at = 0;    // Unix seconds, its Date
  std::string to, subject, body;  // body UTF-8 plain text, lines ended by "\n"
};

struct MailIdentity {
  std::string from_address;  // "ne-pas-repondre@ess-paca.example"
  std::string from_name;     // "Réseau ESS Provence" (may be empty)
};

// An address the node writes in a header or an SMTP command: one "@", no space, no
// control character, no "<", ">", ",", ";" or quotes, at most 254 bytes.
bool IsSendableAddress(std::string_view address);

// `text` as it may stand in a header: as is when printable ASCII, else RFC 2047 encoded
// words (=?UTF-8?B?...?=, each at most 75 characters, never splitting a UTF-8 sequence)
// joined by CRLF + space (folding). Control characters are dropped.
std::string EncodeHeaderText(std::string_view text);
// Quoted-printable (RFC 2045): lines of at most 76 characters, soft breaks "=", line ends
// as CRLF; "\n" in `text` is a line end.
std::string QuotedPrintable(std::string_view text);
// "Tue, 01 Dec 2026 22:05:00 +0000".
std::string MailDateHeader(std::int64_t unix_seconds);
// "<outbox-42-1796000000@ess-paca.example>": the same for each attempt at one message.
std::string MessageId(const OutgoingMail& mail, const MailIdentity& from);

// The whole message (headers, blank line, body). nullopt when an address is not sendable.
std::optional<std::string> FormatMail(const OutgoingMail& mail, const MailIdentity& from);

}  // namespace ess::node
