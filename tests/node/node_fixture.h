#pragma once
// An in-process node for integration tests: a fresh database with the node's schema, a
// ManualClock, the real referential, a fixed region key, the NodeApi behind a real
// HttpServer on a free port, and helpers to call it as a client would (JSON bodies, cookie
// session with its CSRF token, edit tokens) and to read back and verify the journal.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/log_entry.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "http/http_server.h"
#include "node/api/node_api.h"
#include "node/domain/referential_holder.h"
#include "node/domain/region_rules_holder.h"
#include "node/node_settings.h"
#include "node/service/import_jobs.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_postgres.h"
#include "tests/support/test_region_log.h"

namespace ess::test {

using nlohmann::json;

// 2026-01-01T00:00:00Z
inline constexpr std::int64_t kStartSeconds = 1'767'225'600;

struct Reply {
  int status = 0;
  json body;         // parsed when JSON, else null
  std::string text;  // raw body
  std::map<std::string, std::string> headers;
};

struct Session {
  std::string cookie;  // "ess_session=..."
  std::string csrf;
  std::string member_id;  // for committee members
  std::string email, password;
};

// The admin and a committee of three: two "usagers" and one "pairs" (the test rule needs 2
// colleges), the third one chairs; the charter published.
struct Committee {
  Session admin;
  std::vector<Session> members;
};

// One journal record as read back and verified.
struct JournalRecord {
  LogEntry entry;
  std::optional<json> payload;  // nullopt once erased
};

// Settings fit for tests: fast Argon2id, generous rate limits, rule 3 votes / 0.5 / 2 colleges
// (the initial region rules, stored when the fixture starts).
node::NodeSettings TestSettings();
// The real referential (ESS_REFERENTIAL_FILE), parsed once per process.
std::shared_ptr<const Referential> TestReferential();

class NodeFixture {
 public:
  // `on_import_progress` observes background imports (import_jobs.h) on their worker thread.
  explicit NodeFixture(node::NodeSettings settings = TestSettings(), bool with_referential = true,
                       std::function<void(const node::ImportJobProgress&)> on_import_progress = {});
  ~NodeFixture();

  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(kStartSeconds))};
  void AdvanceDays(int days) { clock.Advance(std::chrono::hours(24 * days)); }

  Reply Call(const std::string& method, const std::string& target, const std::optional<json>& body = std::nullopt,
             const Session* session = nullptr, std::map<std::string, std::string> headers = {});
  Reply CallRaw(const std::string& method, const std::string& target, const std::string& body,
                std::map<std::string, std::string> headers);
  Reply Get(const std::string& target, const Session* session = nullptr) { return Call("GET", target, std::nullopt, session); }
  Reply Post(const std::string& target, const json& body, const Session* session = nullptr) {
    return Call("POST", target, body, session);
  }
  // As a client at `client_address` (the fixture's server trusts X-Forwarded-For from
  // loopback): reports and endorsements count one per visitor per period.
  Reply PostFrom(const std::string& client_address, const std::string& target, const json& body) {
    return Call("POST", target, body, nullptr, {{"X-Forwarded-For", client_address}});
  }
  // The body of a queued message as its delivery gets it (the working link in place of the
  // masked one), newest first; the admin outbox never shows the link.
  std::string DeliveredMessage(std::size_t newest = 0) {
    auto messages = api().initiatives().MessagesToDeliver(newest + 1);
    return messages.at(newest).subject + "\n" + messages.at(newest).body;
  }
  // Owner calls with the X-Edit-Token header.
  Reply Owner(const std::string& method, const std::string& target, const std::string& token,
              const std::optional<json>& body = std::nullopt);

  // Creates an admin account directly (as ess-node --create-admin does) and logs in.
  Session Admin();
  Session Login(const std::string& email, const std::string& password);
  // A new session for the same account (after the clock moved past the session's end).
  Session Renew(const Session& session) { return Login(session.email, session.password); }
  // Adds a committee member through the admin API, sets their password from the invitation's
  // link (as the member would) and logs them in.
  Session AddMember(const Session& admin, const std::string& name, const std::string& college,
                    const std::string& role = "member");
  // Publishes a charter version through the admin API (preview, then the count it shows
  // confirmed); returns its version.
  int PublishCharter(const Session& admin, const std::string& text = "Charte régionale de l'ESS",
                     int readhesion_days = 90);

  // A valid submission for Marseille (override fields with `changes`).
  static json ValidInitiative(const json& changes = json::object(), int charter_version = 1);
  // Submits; REQUIREs 201; returns {id, edit_token}.
  std::pair<std::string, std::string> Submit(const json& changes = json::object(), int charter_version = 1);
  // The charter published and the Committee above added by the admin.
  Committee SetUpCommittee();
  // Three committee members (two colleges) voting the same way.
  void VoteAll(const std::vector<Session>& members, const std::string& id, const std::string& vote);

  // Every record of the journal, each verified with core's VerifyRecordProof against the
  // latest signed checkpoint (fails the test on any failure).
  std::vector<JournalRecord> VerifiedJournal();
  // Kinds ("initiative", "committee_decision", "erase:initiative"...) of records [from, end).
  std::vector<std::string> JournalKinds(std::size_t from = 0);
  std::size_t JournalSize();
  // A count from a SQL query (for "nothing changed" checks).
  long long Count(const std::string& sql);

  std::string region() const { return "93"; }
  int port() const;
  PgPool& pool() { return *pool_; }
  node::NodeApi& api() { return *api_; }
  const node::NodeContext& context() const { return *context_; }
  node::RegionRulesHolder& rules() { return *rules_; }
  // Notified after each committed journalling transaction (main wakes the uploader with it).
  node::JournalCommitSignal& journal_commits() { return journal_commits_; }
  const std::string& connection_string() const { return db_.connection_string(); }

 private:
  TestDatabase db_;
  node::NodeSettings settings_;
  TestRegionLog reference_;
  node::ReferentialHolder referential_;
  std::unique_ptr<node::RegionRulesHolder> rules_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<RegionLogWriter> journal_;
  node::JournalCommitSignal journal_commits_;
  std::unique_ptr<node::NodeContext> context_;
  std::unique_ptr<node::NodeApi> api_;
  std::unique_ptr<HttpServer> server_;
  int member_count_ = 0;
};

// Polls `condition` every 10 ms until it holds (true) or `bound` has passed (false).
bool PollUntil(std::chrono::milliseconds bound, const std::function<bool()>& condition);

// The token in an outbox message body ("...#jeton=<token>").
std::string TokenInMessage(const std::string& body);

}  // namespace ess::test
