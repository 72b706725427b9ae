// The outbox's delivery without database or relay (node/mail/): the message format and
// header encoding, the retry and backoff of OutboxDelivery with a fake queue, a fake sender
// and a ManualClock.
#include <doctest/doctest.h>

#include <deque>
#include <map>

#include "node/mail/mail_message.h"
#include "node/mail/outbox_delivery.h"

using namespace ess;
using namespace ess::node;

namespace {

// The base64 of RFC 2047 words, decoded back (to check what a reader sees).
std::string DecodeWords(const std::string& header) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t at = 0;
  while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
    at += 10;
    const auto end = header.find("?=", at);
    unsigned bits = 0;
    int count = 0;
    for (std::size_t i = at; i < end; ++i) {
      if (header[i] == '=') break;
      bits = (bits << 6) | static_cast<unsigned>(kAlphabet.find(header[i]));
      count += 6;
      if (count >= 8) {
        count -= 8;
        out += static_cast<char>((bits >> count) & 0xff);
      }
    }
    at = end;
  }
  return out;
}

struct FakeQueue final : DeliveryQueue {
  struct Row {
    DueMail due;
    std::string state = "queued";
    std::optional<std::int64_t> next_attempt_at = std::nullopt;
    std::string answer = "";
  };
  std::vector<Row> rows;
  bool AttemptNext(std::int64_t now,
                   const std::function<AttemptRecord(const DueMail&)>& attempt) override {
    for (auto& row : rows) {
      if (row.state != "queued" || (row.next_attempt_at && *row.next_attempt_at > now)) continue;
      const AttemptRecord record = attempt(row.due);
      row.state = record.state;
      row.due.attempts = record.attempts;
      row.next_attempt_at = record.next_attempt_at;
      row.answer = record.answer;
      return true;
    }
    return false;
  }
};

struct FakeSender final : MailSender {
  std::deque<SendResult> results;  // given in order; kSent once empty
  std::vector<OutgoingMail> sent;
  SendResult Send(const OutgoingMail& mail) override {
    sent.push_back(mail);
    if (results.empty()) return {SendResult::Outcome::kSent, "250 OK"};
    SendResult r = results.front();
    results.pop_front();
    return r;
  }
};

const SendResult kDown{SendResult::Outcome::kTemporary, "Couldn't connect to server"};

}  // namespace

TEST_CASE("a header in printable ASCII stays as is; UTF-8 becomes RFC 2047 words") {
  CHECK(EncodeHeaderText("Hello") == "Hello");
  const std::string subject = "Votre fiche est-elle toujours à jour ?";
  const std::string encoded = EncodeHeaderText(subject);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(DecodeWords(encoded) == subject);
  // A long subject folds into words of at most 75 characters, never cutting a character.
  std::string long_subject;
  for (int i = 0; i < 20; ++i) long_subject += "éèà ";
  const std::string folded = EncodeHeaderText(long_subject);
  CHECK(folded.find("\r\n ") != std::string::npos);
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find("\r\n ", start);
    if (end == std::string::npos) end = folded.size();
    CHECK(end - start <= 75);
    start = end + 3;
  }
  CHECK(DecodeWords(folded) == long_subject);
  // No header injection through a subject.
  CHECK(EncodeHeaderText("a\r\nBcc: x@y").find('\n') == std::string::npos);
}

TEST_CASE("quoted-printable keeps lines short and escapes what relays mangle") {
  CHECK(QuotedPrintable("à") == "=C3=A0");
  CHECK(QuotedPrintable("a = b\nc") == "a =3D b\r\nc");
  CHECK(QuotedPrintable("fin \nx") == "fin=20\r\nx");
  CHECK(QuotedPrintable(".\nFrom here") == "=2E\r\n=46rom here");
  const std::string link =
      "https://carte.example/modifier/" + std::string(40, 'a') + "#jeton=" + std::string(64, 'f');
  const std::string qp = QuotedPrintable(link);
  std::size_t start = 0;
  std::string joined;
  while (start < qp.size()) {
    auto end = qp.find("\r\n", start);
    if (end == std::string::npos) end = qp.size();
    CHECK(end - start <= 76);
    std::string line = qp.substr(start, end - start);
    if (!line.empty() && line.back() == '=') line.pop_back();
    for (auto at = line.find("=3D"); at != std::string::npos; at = line.find("=3D")) {
      line.replace(at, 3, "=");
    }
    joined += line;
    start = end + 2;
  }
  CHECK(joined == link);  // soft breaks only; the link comes back whole once decoded
}

TEST_CASE("the message carries its headers; unsendable addresses are refused") {
  OutgoingMail mail{42, 1'800'000'000, "porteur@example.org", "Votre initiative a bien été reçue",
                    "Bonjour,\nVotre lien :\nhttps://x/modifier/1#jeton=ab\n"};
  MailIdentity from{"ne-pas-repondre@ess.example", "Réseau ESS"};
  auto text = FormatMail(mail, from);
  REQUIRE(text);
  CHECK(text->find("From: =?UTF-8?B?") == 0);
  CHECK(text->find(" <ne-pas-repondre@ess.example>\r\n") != std::string::npos);
  CHECK(text->find("To: <porteur@example.org>\r\n") != std::string::npos);
  CHECK(text->find("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n") != std::string::npos);
  CHECK(text->find("Message-ID: <outbox-42-1800000000@ess.example>\r\n") != std::string::npos);
  CHECK(text->find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  INFO(*text);
  CHECK(text->find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
  CHECK(text->find("\r\n\r\nBonjour,\r\nVotre lien :\r\n") != std::string::npos);
  for (const char* bad : {"a b@c", "<a@b>", "a@b\r\nBcc: c@d", "ab", "a@", "@b", "a@b@c"}) {
    CHECK_FALSE(IsSendableAddress(bad));
    mail.to = bad;
    CHECK_FALSE(FormatMail(mail, from));
  }
  CHECK(IsSendableAddress("prenom.nom+ess@sous.domaine.fr"));
}

TEST_CASE("backoff doubles from the first delay up to the cap; the last attempt fails") {
  RetryPolicy policy{5, std::chrono::seconds(60), std::chrono::seconds(300)};
  std::vector<std::int64_t> waits;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    auto record = RecordAttempt(kDown, attempt, 1000, policy);
    CHECK(record.state == "queued");
    waits.push_back(*record.next_attempt_at - 1000);
  }
  CHECK(waits == std::vector<std::int64_t>{60, 120, 240, 300});
  auto last = RecordAttempt(kDown, 5, 1000, policy);
  CHECK(last.state == "failed");
  CHECK(last.answer == "Couldn't connect to server");
  CHECK(RecordAttempt({SendResult::Outcome::kPermanent, "550 no such user"}, 1, 0, policy).state ==
        "failed");
  CHECK(RecordAttempt({SendResult::Outcome::kSent, "250"}, 3, 0, policy).state == "sent");
}

TEST_CASE("delivery sends what is due, waits out the backoff on the clock, then delivers") {
  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000)));
  FakeQueue queue;
  queue.rows.push_back({{{1, 0, "a@x.fr", "s", "b"}, 0}});
  queue.rows.push_back({{{2, 0, "refused@x.fr", "s", "b"}, 0}});
  FakeSender sender;
  sender.results = {
      kDown,
      {SendResult::Outcome::kPermanent, "RCPT failed: 550 ; le serveur a répondu : 550 unknown"}};
  OutboxDelivery delivery(queue, sender, clock,
                          RetryPolicy{10, std::chrono::seconds(60), std::chrono::seconds(3600)});

  CHECK(delivery.RunOnce() == 2);  // each tried once
  CHECK(queue.rows[0].state == "queued");
  CHECK(*queue.rows[0].next_attempt_at == 1'000'060);
  CHECK(queue.rows[0].answer == "Couldn't connect to server");
  CHECK(queue.rows[1].state == "failed");  // a 5xx refusal fails at once
  CHECK(queue.rows[1].answer.find("550 unknown") != std::string::npos);

  CHECK(delivery.RunOnce() == 0);  // nothing due before the backoff ends
  clock.Advance(std::chrono::seconds(59));
  CHECK(delivery.RunOnce() == 0);
  clock.Advance(std::chrono::seconds(1));
  CHECK(delivery.RunOnce() == 1);
  CHECK(queue.rows[0].state == "sent");
  CHECK(queue.rows[0].due.attempts == 2);
  CHECK(sender.sent.size() == 3);
  CHECK(delivery.RunOnce() == 0);  // sent once, never again
}

TEST_CASE("a round attempts at most its limit") {
  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(0)));
  FakeQueue queue;
  for (int i = 0; i < 5; ++i) queue.rows.push_back({{{i, 0, "a@x.fr", "s", "b"}, 0}});
  FakeSender sender;
  OutboxDelivery delivery(queue, sender, clock, RetryPolicy{});
  CHECK(delivery.RunOnce(3) == 3);
  CHECK(delivery.RunOnce(3) == 2);
}
