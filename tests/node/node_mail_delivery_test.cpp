// The outbox delivered to a real SMTP server on loopback (issue 15, point 6, acceptance):
// tests/support/smtp_sink.py (Debian's python3-aiosmtpd) receives what the node's SmtpSender
// (libcurl) sends through PgDeliveryQueue, the delivery driven by the fixture's ManualClock.
// A registration's mail carries the private link that opens the owner's record; a freshness
// reminder arrives; a refused recipient ends failed with the server's answer; a server that
// is down leaves the message queued and retried, then delivered once it is back; a member's
// invitation; two deliveries at once; STARTTLS and authentication; the mail options.
#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "node/mail/outbox_delivery.h"
#include "node/mail/pg_delivery_queue.h"
#include "node/mail/smtp_sender.h"
#include "node/node_config.h"
#include "tests/node/node_fixture.h"
#include "tests/support/child_process.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The SMTP server of the test: started on a free port (or `port`), its messages in a directory.
class SmtpSink {
 public:
  // `extra`: the script's --user/--password, --tls-cert/--tls-key.
  explicit SmtpSink(const std::string& directory, int port = 0, std::vector<std::string> extra = {})
      : directory_(directory) {
    std::filesystem::create_directories(directory);
    const std::string ready = directory + "/ready-" + std::to_string(++starts_);
    std::vector<std::string> args{ESS_SMTP_SINK, "--dir",  directory,           "--ready-file",
                                  ready,         "--port", std::to_string(port)};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>("/usr/bin/python3", args, directory + "/sink.log");
    port_ = WaitForReadyFile(ready, *process_, 20s).at("smtp");
  }
  ~SmtpSink() { Stop(); }
  void Stop() {
    if (!process_) return;
    process_->Signal(SIGTERM);
    process_->Wait(10s);
    process_.reset();
  }
  int port() const { return port_; }
  // The messages received, oldest first.
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (int n = 1;; ++n) {
      const std::string path = directory_ + "/" + std::to_string(n) + ".eml";
      if (!std::filesystem::exists(path)) return out;
      out.push_back(ReadFile(path));
    }
  }

 private:
  std::string directory_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  static inline int starts_ = 0;
};

// A quoted-printable body decoded (soft breaks joined, =XX bytes), CRLF as "\n".
std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '=' && i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == '\n')) {
      i += text[i + 1] == '\r' ? 2 : 1;
      continue;
    }
    if (text[i] == '=' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string Body(const std::string& message) {
  const auto at = message.find("\r\n\r\n");
  REQUIRE(at != std::string::npos);
  return DecodeQuotedPrintable(message.substr(at + 4));
}

std::string Header(const std::string& message, const std::string& name) {
  std::smatch m;
  const std::regex line("(^|\r\n)" + name + ": ([^\r]*)");
  return std::regex_search(message, m, line) ? m[2].str() : "";
}

struct OutgoingMailFor {
  node::OutgoingMail mail;
  explicit OutgoingMailFor(const std::string& to)
      : mail{7, 1'800'000'000, to, "Objet accentué", "Corps du message\n"} {}
};

node::NodeSettings MailSettings() {
  node::NodeSettings settings = TestSettings();
  settings.mail_relay = "smtp://127.0.0.1";
  return settings;
}

struct Delivery {
  NodeFixture& node;
  node::SmtpOptions options;
  std::unique_ptr<node::SmtpSender> sender;
  node::PgDeliveryQueue queue{node.pool()};
  std::unique_ptr<node::OutboxDelivery> delivery;

  Delivery(NodeFixture& n, int port) : node(n) {
    options.url = "smtp://127.0.0.1:" + std::to_string(port);
    options.starttls = false;
    options.from = {"ne-pas-repondre@ess-93.example", "Réseau ESS Île-de-France"};
    options.connect_timeout = 5s;
    options.timeout = 10s;
    sender = std::make_unique<node::SmtpSender>(options);
    delivery = std::make_unique<node::OutboxDelivery>(
        queue, *sender, node.clock,
        node::RetryPolicy{3, std::chrono::seconds(60), std::chrono::seconds(600)});
  }
  int RunOnce() { return delivery->RunOnce(); }
};

json Outbox(NodeFixture& node, const Session& admin, const std::string& query = "") {
  auto reply = node.Get("/api/admin/outbox" + query, &admin);
  REQUIRE(reply.status == 200);
  return reply.body;
}

}  // namespace

TEST_CASE(
    "a registration's mail arrives with its private link, which opens the owner's record; a "
    "reminder arrives too") {
  TempDir dir;
  SmtpSink sink(dir.File("sink"));
  NodeFixture node(MailSettings());
  Committee c = node.SetUpCommittee();
  Delivery delivery(node, sink.port());

  auto [id, token] = node.Submit();
  json outbox = Outbox(node, c.admin);
  CHECK(outbox["delivery"]["configured"] == true);
  REQUIRE(outbox["messages"].size() >= 1);
  CHECK(outbox["messages"][0]["kind"] == "registration");
  CHECK(outbox["messages"][0]["state"] == "queued");
  CHECK(outbox["messages"][0]["attempts"] == 0);

  const auto before = sink.Messages().size();
  CHECK(delivery.RunOnce() >= 1);
  auto messages = sink.Messages();
  REQUIRE(messages.size() > before);
  const std::string mail = messages.back();
  CHECK(Header(mail, "X-Envelope-To") == "marie@perso.example");
  CHECK(Header(mail, "Subject").rfind("=?UTF-8?B?", 0) == 0);
  CHECK(Header(mail, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(Header(mail, "Message-ID").find("@ess-93.example>") != std::string::npos);
  const std::string body = Body(mail);
  CHECK(body.find("Votre initiative « ") != std::string::npos);
  CHECK(body.find("lien privé masqué") == std::string::npos);
  const std::string mailed_token = TokenInMessage(body);
  CHECK(mailed_token == token);
  auto owner = node.Owner("GET", "/api/initiatives/" + id + "/owner", mailed_token);
  CHECK(owner.status == 200);

  outbox = Outbox(node, c.admin, "?state=sent");
  REQUIRE(outbox["messages"].size() >= 1);
  CHECK(outbox["messages"][0]["state"] == "sent");
  CHECK(outbox["messages"][0]["attempts"] == 1);
  CHECK(outbox["messages"][0]["sent_at"].is_string());
  CHECK(outbox["messages"][0]["body"].get<std::string>().find("#jeton=") == std::string::npos);
  CHECK(delivery.RunOnce() == 0);  // sent once

  // A freshness reminder, queued by the admin's endpoint once the clock nears valid_until.
  c.admin = node.Renew(c.admin);
  node.VoteAll(c.members, id, "admit");
  node.AdvanceDays(340);
  c.admin = node.Renew(c.admin);
  auto reminders = node.Post("/api/admin/freshness/reminders", json::object(), &c.admin);
  REQUIRE(reminders.status == 200);
  REQUIRE(reminders.body["queued"] == 1);
  CHECK(delivery.RunOnce() >= 1);
  messages = sink.Messages();
  const std::string reminder = Body(messages.back());
  CHECK(reminder.find("est valable jusqu'au") != std::string::npos);
  auto renewed = node.Owner("GET", "/api/initiatives/" + id + "/owner", TokenInMessage(reminder));
  CHECK(renewed.status == 200);
  outbox = Outbox(node, c.admin, "?state=sent&per_page=1");
  CHECK(outbox["messages"].size() == 1);
  CHECK(outbox["messages"][0]["kind"] == "reminder");
  CHECK(outbox["per_page"] == 1);
}

TEST_CASE("a member's invitation arrives the same way, and its link opens the invitation") {
  TempDir dir;
  SmtpSink sink(dir.File("sink"));
  NodeFixture node(MailSettings());
  Committee c = node.SetUpCommittee();
  Delivery delivery(node, sink.port());
  while (delivery.RunOnce() > 0) {  // the committee's own messages
  }
  auto added = node.Post(
      "/api/admin/committee/members",
      {{"name", "Dominique Lefèvre"}, {"email", "dominique@example.org"}, {"college", "pairs"}},
      &c.admin);
  REQUIRE_MESSAGE(added.status == 201, added.text);
  CHECK(delivery.RunOnce() == 1);
  const std::string mail = sink.Messages().back();
  CHECK(Header(mail, "X-Envelope-To") == "dominique@example.org");
  const std::string body = Body(mail);
  CHECK(body.find("Bonjour Dominique Lefèvre,") != std::string::npos);
  CHECK(body.find("/invitation.html#jeton=") != std::string::npos);
  auto invitation = node.Post("/api/invitation", {{"token", TokenInMessage(body)}});
  CHECK_MESSAGE(invitation.status == 200, invitation.text);
  CHECK(Outbox(node, c.admin, "?state=sent&per_page=1")["messages"][0]["kind"] ==
        "member_invitation");
}

TEST_CASE("two deliveries at once on one database never send a message twice") {
  TempDir dir;
  SmtpSink sink(dir.File("sink"));
  NodeFixture node(MailSettings());
  Committee c = node.SetUpCommittee();
  node.pool().WithTransaction([](pqxx::work& txn) {
    node::InitiativeStore store(txn);
    for (int i = 0; i < 12; ++i) {
      store.QueueMessage(std::nullopt, "destinataire" + std::to_string(i) + "@example.org", "Objet",
                         "Corps", 0);
    }
    return 0;
  });
  const long long queued = node.Count("SELECT count(*) FROM outbox WHERE state = 'queued'");
  Delivery first(node, sink.port());
  Delivery second(node, sink.port());
  std::thread other([&] { second.RunOnce(); });
  first.RunOnce();
  other.join();
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE state = 'queued'") == 0);
  const auto messages = sink.Messages();
  CHECK(static_cast<long long>(messages.size()) == queued);
  std::set<std::string> ids;
  for (const auto& m : messages) ids.insert(Header(m, "Message-ID"));
  CHECK(ids.size() == messages.size());
}

TEST_CASE("a refused recipient ends failed with the server's answer; retry now queues it again") {
  TempDir dir;
  SmtpSink sink(dir.File("sink"));
  NodeFixture node(MailSettings());
  Committee c = node.SetUpCommittee();
  Delivery delivery(node, sink.port());
  while (delivery.RunOnce() > 0) {  // the committee's own messages
  }
  const auto before = sink.Messages().size();
  node.Submit(
      {{"private",
        {{"contact_name", "Marie Durand"}, {"contact_email", "refuse@ressourcerie.example"}}}});
  while (delivery.RunOnce() > 0) {
  }
  json failed = Outbox(node, c.admin, "?state=failed");
  REQUIRE(failed["messages"].size() == 1);
  const json& m = failed["messages"][0];
  CHECK(m["recipient"] == "refuse@ressourcerie.example");
  CHECK(m["attempts"] == 1);  // a 5xx refusal is not retried
  CHECK(m["last_error"].get<std::string>().find("550 5.1.1 Destinataire inconnu") !=
        std::string::npos);
  CHECK(failed["counts"]["failed"] == 1);
  CHECK(sink.Messages().size() == before);

  // "Retry now": queued again, due at once (and refused again by this server).
  const std::string retry =
      "/api/admin/outbox/" + std::to_string(m["id"].get<long long>()) + "/retry";
  auto requeued = node.Post(retry, json::object(), &c.admin);
  CHECK(requeued.status == 200);
  CHECK(Outbox(node, c.admin, "?state=queued")["counts"]["queued"] == 1);
  CHECK(node.Post(retry, json::object(), &c.admin).status == 409);  // no longer failed
  CHECK(delivery.RunOnce() == 1);
  CHECK(Outbox(node, c.admin, "?state=failed")["messages"][0]["attempts"] == 1);
  CHECK(node.Get("/api/admin/outbox?state=lost", &c.admin).status == 422);
  CHECK(node.Get("/api/admin/outbox?per_page=0", &c.admin).status == 422);
}

TEST_CASE(
    "a server that is down leaves the message queued and retried, delivered once it is back") {
  TempDir dir;
  auto sink = std::make_unique<SmtpSink>(dir.File("sink"));
  const int port = sink->port();
  sink->Stop();
  NodeFixture node(MailSettings());
  Committee c = node.SetUpCommittee();
  Delivery delivery(node, port);
  auto [id, token] = node.Submit();
  while (delivery.RunOnce() > 0) {
  }
  json queued = Outbox(node, c.admin, "?state=queued");
  REQUIRE(queued["messages"].size() >= 1);
  json m = queued["messages"][0];
  CHECK(m["kind"] == "registration");
  CHECK(m["attempts"] == 1);
  CHECK(m["next_attempt_at"].is_string());
  CHECK_FALSE(m["last_error"].get<std::string>().empty());

  CHECK(delivery.RunOnce() == 0);  // not before its backoff
  node.clock.Advance(61s);
  CHECK(delivery.RunOnce() >= 1);  // still down: a second attempt, later again
  queued = Outbox(node, c.admin, "?state=queued");
  CHECK(queued["messages"][0]["attempts"] == 2);

  sink = std::make_unique<SmtpSink>(dir.File("sink"), port);  // back on the same port
  node.clock.Advance(121s);
  CHECK(delivery.RunOnce() >= 1);
  auto messages = sink->Messages();
  REQUIRE(messages.size() >= 1);
  CHECK(TokenInMessage(Body(messages.back())) == token);
  json sent = Outbox(node, c.admin, "?state=sent");
  REQUIRE(sent["messages"].size() >= 1);
  CHECK(sent["messages"][0]["attempts"] == 3);
}

TEST_CASE("STARTTLS and authentication: sent over TLS with the right password, never in clear") {
  TempDir dir;
  ChildProcess certs(ESS_MAKE_TEST_CERTS, {dir.File("certs")}, dir.File("certs.log"));
  REQUIRE(certs.Wait(60s) == 0);
  SmtpSink sink(dir.File("sink"), 0,
                {"--user", "carte", "--password", "secret-smtp", "--tls-cert",
                 dir.File("certs/hub.pem"), "--tls-key", dir.File("certs/hub.key")});
  const OutgoingMailFor mail{"porteur@example.org"};
  node::SmtpOptions options;
  options.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  options.from = {"ne-pas-repondre@ess-93.example", ""};
  options.ca_file = dir.File("certs/ca.pem");
  options.user = "carte";
  options.password = "secret-smtp";
  options.starttls = true;
  auto sent = node::SmtpSender(options).Send(mail.mail);
  CHECK_MESSAGE(sent.outcome == node::SendResult::Outcome::kSent, sent.answer);
  REQUIRE(sink.Messages().size() == 1);

  // In clear to a relay that requires STARTTLS: refused by the relay, nothing sent.
  options.starttls = false;
  auto in_clear = node::SmtpSender(options).Send(mail.mail);
  CHECK_MESSAGE(in_clear.outcome == node::SendResult::Outcome::kTemporary,
                in_clear.answer);  // 530: configuration
  CHECK(sink.Messages().size() == 1);
}

TEST_CASE("STARTTLS required: a relay that does not offer it gets nothing in clear") {
  TempDir dir;
  SmtpSink sink(dir.File("sink"));
  node::SmtpOptions options;
  options.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  options.from = {"ne-pas-repondre@ess-93.example", ""};
  options.starttls = true;
  auto result = node::SmtpSender(options).Send(OutgoingMailFor{"porteur@example.org"}.mail);
  CHECK(result.outcome == node::SendResult::Outcome::kTemporary);
  CHECK_FALSE(result.answer.empty());
  CHECK(sink.Messages().empty());
}

TEST_CASE("without a relay the admin sees that mail is not configured; messages stay queued") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  node.Submit();
  json outbox = Outbox(node, c.admin);
  CHECK(outbox["delivery"]["configured"] == false);
  CHECK(outbox["counts"]["queued"].get<int>() >= 1);
}

namespace {
std::optional<node::NodeConfig> Parse(std::vector<std::string> extra) {
  std::vector<std::string> args{"ess-node",         "--region",   "93", "--database",
                                "postgresql://x/y", "--key-file", "k"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return node::ParseNodeConfig(static_cast<int>(argv.size()), argv.data()).config;
}
}  // namespace

TEST_CASE("--embed-frame-ancestors: any site by default, a list of CSP sources, nothing else") {
  auto any = Parse({});
  REQUIRE(any);
  CHECK(any->web.embed_frame_ancestors == std::vector<std::string>{"*"});
  auto listed =
      Parse({"--embed-frame-ancestors", "https://reseau.example, https://*.ville.example"});
  REQUIRE(listed);
  CHECK(listed->web.embed_frame_ancestors ==
        std::vector<std::string>{"https://reseau.example", "https://*.ville.example"});
  CHECK_FALSE(Parse({"--embed-frame-ancestors", "https://reseau.example/page"}));
  CHECK_FALSE(Parse({"--embed-frame-ancestors", "'unsafe-inline'"}));
  CHECK_FALSE(Parse({"--embed-frame-ancestors", ""}));
}

TEST_CASE(
    "the mail options: STARTTLS required but on loopback, a sender address, no credentials in the "
    "URL") {
  auto none = Parse({});
  REQUIRE(none);
  CHECK(none->smtp_url.empty());
  CHECK(none->settings.mail_relay.empty());
  auto relay =
      Parse({"--smtp-url", "smtp://relay.example:587", "--mail-from", "carte@ess.example"});
  REQUIRE(relay);
  CHECK(relay->smtp_starttls);
  CHECK(relay->settings.mail_relay == "smtp://relay.example:587");
  auto local = Parse({"--smtp-url", "smtp://127.0.0.1:25", "--mail-from", "carte@ess.example"});
  REQUIRE(local);
  CHECK_FALSE(local->smtp_starttls);
  auto forced = Parse({"--smtp-url", "smtp://localhost", "--mail-from", "carte@ess.example",
                       "--smtp-starttls", "required"});
  REQUIRE(forced);
  CHECK(forced->smtp_starttls);
  CHECK(Parse({"--smtp-url", "smtps://relay.example:465", "--mail-from", "carte@ess.example",
               "--smtp-user", "u", "--smtp-password-file", "/etc/ess/smtp"}));
  CHECK_FALSE(Parse({"--smtp-url", "smtp://relay.example"}));  // no sender
  CHECK_FALSE(
      Parse({"--smtp-url", "smtp://u:p@relay.example", "--mail-from", "carte@ess.example"}));
  CHECK_FALSE(Parse({"--smtp-url", "http://relay.example", "--mail-from", "carte@ess.example"}));
  CHECK_FALSE(Parse({"--smtp-url", "smtp://relay.example", "--mail-from", "carte@ess.example",
                     "--smtp-user", "u"}));
  CHECK_FALSE(Parse({"--smtp-url", "smtp://relay.example", "--mail-from", "carte@ess.example",
                     "--smtp-starttls", "maybe"}));
  CHECK_FALSE(Parse({"--smtp-user", "u", "--smtp-password-file", "/p"}));  // without a relay
  CHECK_FALSE(Parse({"--mail-max-attempts", "0"}));
}
