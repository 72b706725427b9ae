#include "tests/node/node_fixture.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "core/verify.h"
#include "node/node_migrations.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/store/node_statements.h"

namespace ess::test {

node::NodeSettings TestSettings() {
  node::NodeSettings s;
  s.region = "93";
  s.public_url = "https://carte.example";
  s.initial_rules.decision_rule = {3, 0.5, 2};
  s.initial_rules.colleges = {"usagers", "pairs", "partenaires"};
  s.initial_rules.freshness = {365, 60, 30};
  s.initial_rules.report_threshold = 3;
  s.initial_rules.endorsement_threshold = 2;
  s.edit_link_days = 60;
  s.password_cost = PasswordHashCost::Minimum();
  s.public_rate_limit = {100000, 100000};
  s.sign_in.address_attempts_per_minute = 100000;
  return s;
}

namespace {

// With ESS_JOURNAL_PAYLOADS=<dir>, every payload a fixture's node journals (after the
// node's own check) is also written to <dir>/<program>-<fixture number>.jsonl, one JSON line
// {"operation", "kind", "region", "payload"} each: payload_schema_ajv_test validates them
// with the published schemas.
JournalPayloadCheck RecordingCheck(JournalPayloadCheck check) {
  const char* dir = std::getenv("ESS_JOURNAL_PAYLOADS");
  if (!dir || !*dir) return check;
  static std::atomic<int> fixtures{0};
  std::filesystem::create_directories(dir);
  auto path = std::filesystem::path(dir) / (std::string(program_invocation_short_name) + "-" +
                                            std::to_string(++fixtures) + ".jsonl");
  auto out = std::make_shared<std::ofstream>(path, std::ios::trunc);
  auto mutex = std::make_shared<std::mutex>();
  return [check = std::move(check), out, mutex](const LogChange& change, std::string_view region) {
    Verdict verdict = check(change, region);
    if (verdict.ok()) {
      std::lock_guard lock(*mutex);
      *out << json{{"operation", OperationName(change.operation)},
                   {"kind", RecordKindName(change.kind)},
                   {"region", region},
                   {"payload", change.payload}}
                  .dump()
           << "\n"
           << std::flush;
    }
    return verdict;
  };
}

}  // namespace

std::shared_ptr<const Referential> TestReferential() {
  static std::once_flag once;
  static std::shared_ptr<const Referential> referential;
  std::call_once(once, [] {
    referential = std::make_shared<const Referential>(Referential::FromFile(ESS_REFERENTIAL_FILE));
  });
  return referential;
}

NodeFixture::NodeFixture(node::NodeSettings settings, bool with_referential,
                         std::function<void(const node::ImportJobProgress&)> on_import_progress)
    : settings_(std::move(settings)) {
  {
    pqxx::connection conn(db_.connection_string());
    ApplyMigrations(conn, node::NodeMigrations());
  }
  if (with_referential) referential_.Replace(TestReferential());
  pool_ = std::make_unique<PgPool>(PgPoolOptions{db_.connection_string(), 4, std::chrono::seconds(10),
                                                 [](pqxx::connection& c) { node::PrepareNodeStatements(c, true); }});
  journal_ = std::make_unique<RegionLogWriter>(
      "93", reference_.origin(), reference_.signer(), clock,
      RecordingCheck(node::NodeJournalPayloadCheck(referential_)));
  rules_ = std::make_unique<node::RegionRulesHolder>(settings_.initial_rules);
  node::LoadRegionRules(*pool_, settings_.initial_rules, *rules_, clock);
  context_ = std::make_unique<node::NodeContext>(node::NodeContext{
      *pool_, *journal_, referential_, clock, settings_, *rules_, &journal_commits_});
  node::ImportJobsOptions import_jobs;
  import_jobs.progress_database = db_.connection_string();
  import_jobs.concurrent_jobs = settings_.import_concurrent_jobs;
  import_jobs.on_progress = std::move(on_import_progress);
  api_ = std::make_unique<node::NodeApi>(*context_, std::move(import_jobs));
  server_ = std::make_unique<HttpServer>(HttpServerOptions{.address = "127.0.0.1",
                                                           .port = 0,
                                                           .body_limit = 1024 * 1024,
                                                           .trusted_proxies = {"127.0.0.1"}},
                                         api_->AsHandler());
  server_->Start();
}

NodeFixture::~NodeFixture() {
  server_->Stop();
  server_.reset();
  api_.reset();
  pool_.reset();
}

int NodeFixture::port() const { return server_->port(); }

Reply NodeFixture::CallRaw(const std::string& method, const std::string& target, const std::string& body,
                           std::map<std::string, std::string> headers) {
  auto r = HttpRequestRaw(port(), method, target, body, headers);
  Reply out{r.status, json(), r.body, r.headers};
  auto parsed = json::parse(r.body, nullptr, false);
  if (!parsed.is_discarded()) out.body = std::move(parsed);
  return out;
}

Reply NodeFixture::Call(const std::string& method, const std::string& target, const std::optional<json>& body,
                        const Session* session, std::map<std::string, std::string> headers) {
  if (body) headers["Content-Type"] = "application/json";
  if (session) {
    headers["Cookie"] = session->cookie;
    if (!headers.count("X-CSRF-Token")) headers["X-CSRF-Token"] = session->csrf;
  }
  return CallRaw(method, target, body ? body->dump() : std::string(), headers);
}

Reply NodeFixture::Owner(const std::string& method, const std::string& target, const std::string& token,
                         const std::optional<json>& body) {
  return Call(method, target, body, nullptr, {{"X-Edit-Token", token}});
}

Session NodeFixture::Login(const std::string& email, const std::string& password) {
  auto r = Post("/api/session", {{"email", email}, {"password", password}});
  REQUIRE_MESSAGE(r.status == 201, r.text);
  std::string set_cookie = r.headers["set-cookie"];
  Session s{set_cookie.substr(0, set_cookie.find(';')), r.body["csrf_token"], "", email, password};
  if (r.body.contains("member")) s.member_id = r.body["member"]["id"];
  return s;
}

Session NodeFixture::Admin() {
  auto created = api_->accounts().CreateAdmin("admin@example.org", "Administration", "mot-de-passe-admin");
  if (!created.ok()) REQUIRE(created.failure().code == "email_taken");
  return Login("admin@example.org", "mot-de-passe-admin");
}

Session NodeFixture::AddMember(const Session& admin, const std::string& name, const std::string& college,
                               const std::string& role) {
  std::string email = "membre" + std::to_string(++member_count_) + "@example.org";
  auto r = Post("/api/admin/committee/members",
                {{"name", name}, {"email", email}, {"college", college}, {"role", role}}, &admin);
  REQUIRE_MESSAGE(r.status == 201, r.text);
  // The member follows the link of their invitation (the newest message) and chooses a password.
  auto accepted = Post("/api/invitation/password", {{"token", TokenInMessage(DeliveredMessage(0))},
                                                    {"password", "mot-de-passe-membre"}});
  REQUIRE_MESSAGE(accepted.status == 200, accepted.text);
  return Login(email, "mot-de-passe-membre");
}

int NodeFixture::PublishCharter(const Session& admin, const std::string& text, int readhesion_days) {
  // As the admin's page does: the preview's count of listings to re-adhere, then confirmed.
  json draft = {{"text", text}, {"readhesion_days", readhesion_days}};
  auto preview = Post("/api/admin/charter/preview", draft, &admin);
  REQUIRE_MESSAGE(preview.status == 200, preview.text);
  draft["confirm_listings"] = preview.body["listings_to_readhere"];
  auto r = Post("/api/admin/charter", draft, &admin);
  REQUIRE_MESSAGE(r.status == 201, r.text);
  return r.body["version"];
}

json NodeFixture::ValidInitiative(const json& changes, int charter_version) {
  json j = {{"name", "Épicerie solidaire du Panier"},
            {"family", "association"},
            {"legal_form", "association_loi_1901"},
            {"activities", {"alimentation", "insertion"}},
            {"description", "Une épicerie solidaire et participative au cœur du Panier."},
            {"address", "12 rue du Panier"},
            {"postcode", "13002"},
            {"commune", "13055"},
            {"latitude", 43.29900},
            {"longitude", 5.36900},
            {"email", "contact@epicerie.example"},
            {"phone", "04 91 00 00 00"},
            {"website", "https://epicerie.example"},
            {"siret", "73282932000074"},
            {"employer", true},
            {"offers", {{{"title", "Paniers de légumes"}, {"lead_time", "48 h"}}}},
            {"private", {{"contact_name", "Marie Durand"}, {"contact_email", "marie@perso.example"},
                         {"contact_phone", "06 12 34 56 78"}}},
            {"charter", {{"version", charter_version}, {"adhered_by", "Marie Durand"}}}};
  for (const auto& [key, value] : changes.items()) {
    if (value.is_null()) {
      j.erase(key);
    } else {
      j[key] = value;
    }
  }
  return j;
}

std::pair<std::string, std::string> NodeFixture::Submit(const json& changes, int charter_version) {
  auto r = Post("/api/initiatives", ValidInitiative(changes, charter_version));
  REQUIRE_MESSAGE(r.status == 201, r.text);
  return {r.body["initiative"]["id"], r.body["edit_token"]};
}

Committee NodeFixture::SetUpCommittee() {
  Committee c{Admin(), {}};
  PublishCharter(c.admin);
  c.members.push_back(AddMember(c.admin, "Alice Martin", "usagers"));
  c.members.push_back(AddMember(c.admin, "Bruno Petit", "usagers"));
  c.members.push_back(AddMember(c.admin, "Chloé Roux", "pairs", "chair"));
  return c;
}

void NodeFixture::VoteAll(const std::vector<Session>& members, const std::string& id, const std::string& vote) {
  for (const auto& m : members) {
    auto r = Post("/api/committee/initiatives/" + id + "/votes", {{"vote", vote}, {"reason", "Motif écrit du vote"}}, &m);
    REQUIRE_MESSAGE(r.status == 201, r.text);
  }
}

std::vector<JournalRecord> NodeFixture::VerifiedJournal() {
  return pool_->WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    const std::uint64_t size = store.ReadHead(false).size();
    std::vector<JournalRecord> out;
    if (size == 0) return out;
    std::string note = *store.LatestCheckpointNote();
    Checkpoint checkpoint;
    REQUIRE(VerifyCheckpointNote(note, reference_.KeyRing(), checkpoint).ok());
    REQUIRE(checkpoint.size == size);
    auto records = store.ReadRecords(0, size);
    REQUIRE(records.size() == size);
    for (std::uint64_t i = 0; i < size; ++i) {
      const LogRecord& rec = records[i];
      REQUIRE(rec.entry.index == i);
      RecordProof proof{rec.entry_bytes, rec.payload, rec.salt, store.InclusionProof(i, size), note};
      LogEntry entry;
      Verdict verdict = VerifyRecordProof(proof, "93", reference_.KeyRing(), &entry);
      REQUIRE_MESSAGE(verdict.ok(), "record ", i, ": ", verdict.reason);
      JournalRecord jr{entry, std::nullopt};
      if (rec.payload) jr.payload = json::parse(AsString(*rec.payload));
      out.push_back(std::move(jr));
    }
    return out;
  });
}

std::vector<std::string> NodeFixture::JournalKinds(std::size_t from) {
  std::vector<std::string> out;
  auto journal = VerifiedJournal();
  for (std::size_t i = from; i < journal.size(); ++i) {
    const auto& e = journal[i].entry;
    std::string kind(RecordKindName(e.kind));
    out.push_back(e.operation == Operation::kErase ? "erase:" + kind : kind);
  }
  return out;
}

std::size_t NodeFixture::JournalSize() {
  return pool_->WithTransaction([&](pqxx::work& txn) { return LogStore(txn, "93").ReadHead(false).size(); });
}

long long NodeFixture::Count(const std::string& sql) {
  return pool_->WithTransaction([&](pqxx::work& txn) { return txn.exec1(sql)[0].as<long long>(); });
}

bool PollUntil(std::chrono::milliseconds bound, const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string TokenInMessage(const std::string& body) {
  auto at = body.find("#jeton=");
  REQUIRE(at != std::string::npos);
  return body.substr(at + 7, 64);
}

}  // namespace ess::test
