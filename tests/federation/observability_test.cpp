// Observability of a real node and hub (docs/operations.md, "Metrics, readiness and logs"):
// /metrics in the Prometheus text format scraped by Debian's real `prometheus` server, whose
// HTTP API gives the series back; /readyz (200, the node's hub reported, 503 while the
// database refuses connections); X-Request-Id echoed (a sane one kept, another replaced) and
// named in the node's JSON log line; the Grafana dashboard (deploy/grafana/ess-dashboard.json)
// valid JSON whose every queried metric is one the node or the hub exposes.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/pg_migrations.h"
#include "http/ops_routes.h"
#include "hub/store/hub_migrations.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// A loopback port nobody listens on now (prometheus cannot take port 0 for its own address;
// someone may take the port before it binds: the caller retries, as deploy/demo.sh does).
int UnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

// A chunked HTTP/1.1 body, decoded (the test client reads bodies as they come).
std::string Unchunk(const std::string& raw) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const auto eol = raw.find("\r\n", at);
    if (eol == std::string::npos) break;
    const std::size_t size = std::stoul(raw.substr(at, eol - at), nullptr, 16);
    if (size == 0) break;
    out += raw.substr(eol + 2, size);
    at = eol + 2 + size + 2;
  }
  return out;
}

// Debian's prometheus scraping the node and the hub every second, on a free port.
class PrometheusProcess {
 public:
  PrometheusProcess(const TempDir& dir, int node_port, int hub_port) {
    const std::string config = dir.File("prometheus.yml");
    std::ofstream(config) << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                          << "scrape_configs:\n"
                          << "  - job_name: node\n    static_configs:\n"
                          << "      - targets: ['127.0.0.1:" << node_port << "']\n"
                          << "  - job_name: hub\n    static_configs:\n"
                          << "      - targets: ['127.0.0.1:" << hub_port << "']\n";
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
      port_ = UnusedPort();
      auto p = std::make_unique<ChildProcess>(
          "/usr/bin/prometheus",
          std::vector<std::string>{
              "--config.file=" + config,
              "--storage.tsdb.path=" + dir.File("tsdb-" + std::to_string(attempt)),
              "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"},
          dir.File("prometheus.log"));
      const bool ready = WaitUntil(20s, [&] {
        if (!p->Running()) return true;
        try {
          return HttpGet(port_, "/-/ready").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      });
      if (ready && p->Running()) process_ = std::move(p);
    }
    REQUIRE_MESSAGE(process_, "prometheus did not start: ", ReadFile(dir.File("prometheus.log")));
  }
  ~PrometheusProcess() {
    if (process_) {
      process_->Signal(SIGTERM);
      process_->Wait(10s);
    }
  }

  // The instant query's result vector (empty while no sample matches).
  nlohmann::json Query(const std::string& promql) const {
    auto res = HttpGet(port_, "/api/v1/query?query=" + UrlEncode(promql));
    if (res.status != 200) return nlohmann::json::array();
    std::string body = res.body;
    if (res.headers["transfer-encoding"] == "chunked") body = Unchunk(body);
    auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return nlohmann::json::array();
    return parsed["data"]["result"];
  }
  // The value of the first series of `promql`, once one comes back within the bound.
  std::optional<double> ValueOf(const std::string& promql) const {
    std::optional<double> value;
    WaitUntil(15s, [&] {
      auto result = Query(promql);
      if (result.empty()) return false;
      value = std::stod(result[0]["value"][1].get<std::string>());
      return true;
    });
    return value;
  }

 private:
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// The metric names a scrape declares (# TYPE lines).
std::set<std::string> DeclaredNames(const std::string& scrape) {
  std::set<std::string> out;
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("# TYPE ")) continue;
    std::istringstream words(line.substr(7));
    std::string name, type;
    words >> name >> type;
    out.insert(name);
    if (type == "histogram") {
      for (const char* suffix : {"_bucket", "_sum", "_count"}) out.insert(name + suffix);
    }
  }
  return out;
}

void SetConnectionsAllowed(const std::string& database, bool allowed) {
  pqxx::connection admin(TestServerUrl());
  pqxx::nontransaction txn(admin);
  txn.exec0("ALTER DATABASE " + txn.quote_name(database) + " ALLOW_CONNECTIONS " +
            (allowed ? "true" : "false"));
  if (!allowed) {
    txn.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
             txn.quote(database));
  }
}

}  // namespace

TEST_CASE("node and hub metrics scraped by prometheus, readiness, request ids, the dashboard") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  HubProcess hub(dir, hub_db.connection_string());
  hub.Start();
  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start("");  // the schema first, then entries journalled by "another process"
  node.Stop();
  NodeJournal journal(node_db.connection_string(), "93", key);
  journal.Append(
      {PutInitiative(NewRecordId(), InitiativePayload("Épicerie observée", "admitted")),
       PutInitiative(NewRecordId(), InitiativePayload("Recyclerie mesurée", "admitted"))});
  node.Start(hub.grpc_address(), {"--log-format", "json"});
  REQUIRE(WaitUntil(30s, [&] { return hub.TreeSize("93") == 2; }));

  // Requests to count: the hub's regions, the node's health (with a request id of ours).
  constexpr int kHubCalls = 5;
  for (int i = 0; i < kHubCalls; ++i)
    REQUIRE(HttpGet(hub.http_port(), "/api/regions").status == 200);
  auto echoed = HttpRequestRaw(node.http_port(), "GET", "/healthz", {},
                               {{"X-Request-Id", "essai-observabilite.1"}});
  CHECK(echoed.status == 200);
  CHECK(echoed.headers["x-request-id"] == "essai-observabilite.1");
  auto replaced = HttpRequestRaw(node.http_port(), "GET", "/healthz", {},
                                 {{"X-Request-Id", "pas sain <script>"}});
  CHECK(std::regex_match(replaced.headers["x-request-id"], std::regex("[0-9a-f]{16}")));
  CHECK(std::regex_match(HttpGet(hub.http_port(), "/nowhere").headers["x-request-id"],
                         std::regex("[0-9a-f]{16}")));

  {  // the node's JSON log names the request
    bool found = false;
    WaitUntil(5s, [&] {
      std::istringstream lines(ReadFile(node.log_file()));
      std::string line;
      while (std::getline(lines, line)) {
        if (line.empty() || line.front() != '{') continue;
        auto j = nlohmann::json::parse(line);  // every JSON line parses
        REQUIRE(j.contains("time"));
        REQUIRE(j.contains("level"));
        if (j.value("request_id", "") == "essai-observabilite.1" &&
            j["message"].get<std::string>().find("/healthz 200") != std::string::npos) {
          found = true;
        }
      }
      return found;
    });
    CHECK_MESSAGE(found, "no JSON access line with the request id in ", node.log_file());
  }

  // /readyz: both ready; the node reports the hub (reachable once its stream is up).
  CHECK(GetJson(hub.http_port(), "/readyz")["status"] == "ready");
  CHECK(WaitUntil(10s, [&] {
    auto ready = GetJson(node.http_port(), "/readyz");
    return ready["status"] == "ready" && ready["hub"]["reachable"] == true;
  }));

  // The text format, read directly: the route pattern, never the raw path.
  auto hub_scrape = HttpGet(hub.http_port(), "/metrics");
  REQUIRE(hub_scrape.status == 200);
  CHECK(hub_scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(hub_scrape.body.find("ess_http_request_duration_seconds_count{route=\"/api/regions\","
                             "method=\"GET\",code=\"200\"} " +
                             std::to_string(kHubCalls)) != std::string::npos);
  CHECK(hub_scrape.body.find("route=\"/api/regions/93\"") == std::string::npos);
  CHECK(hub_scrape.body.find("ess_hub_entries_ingested_total{region=\"93\"} 2\n") !=
        std::string::npos);
  auto node_scrape = HttpGet(node.http_port(), "/metrics");
  REQUIRE(node_scrape.status == 200);
  CHECK(node_scrape.body.find("\ness_node_journal_entries 2\n") != std::string::npos);
  // Read only from the allowed addresses, and not through an undeclared proxy.
  CHECK(HttpRequestRaw(hub.http_port(), "GET", "/metrics", {}, {{"X-Forwarded-For", "203.0.113.9"}})
            .status == 403);

  // Prometheus scrapes both and gives the series back.
  PrometheusProcess prometheus(dir, node.http_port(), hub.http_port());
  CHECK(prometheus.ValueOf("up{job=\"hub\"}") == 1);
  CHECK(prometheus.ValueOf("up{job=\"node\"}") == 1);
  auto calls = prometheus.ValueOf(
      "ess_http_request_duration_seconds_count{job=\"hub\",route=\"/api/regions\",code=\"200\"}");
  REQUIRE(calls);
  CHECK(*calls >= kHubCalls);
  CHECK(prometheus.ValueOf("ess_hub_entries_ingested_total{job=\"hub\",region=\"93\"}") == 2);
  CHECK(prometheus.ValueOf("ess_node_journal_entries{job=\"node\"}") == 2);
  auto lag = prometheus.ValueOf("ess_node_replication_lag_entries{job=\"node\"}");
  REQUIRE(lag);
  CHECK(*lag == 0);
  CHECK(prometheus.ValueOf("ess_db_pool_size{job=\"node\"}") > 0);

  // The dashboard: valid JSON, and every metric it queries exposed by the node or the hub.
  std::set<std::string> exposed = DeclaredNames(hub_scrape.body);
  exposed.merge(DeclaredNames(node_scrape.body));
  std::ifstream file(std::string(ESS_SOURCE_DIR) + "/deploy/grafana/ess-dashboard.json");
  REQUIRE(file);
  const nlohmann::json dashboard = nlohmann::json::parse(file);
  std::set<std::string> queried;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      if (j.contains("expr") && j["expr"].is_string()) {
        const std::string expr = j["expr"];
        const std::regex name("ess_[a-z_]+");
        for (auto it = std::sregex_iterator(expr.begin(), expr.end(), name);
             it != std::sregex_iterator(); ++it) {
          queried.insert(it->str());
        }
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(dashboard);
  CHECK(queried.size() >= 8);
  for (const auto& name : queried) {
    CAPTURE(name);
    CHECK(exposed.count(name) == 1);
  }

  // The database refusing connections: /readyz 503 with a French message, then ready again.
  SetConnectionsAllowed(hub_db.name(), false);
  auto not_ready = HttpGet(hub.http_port(), "/readyz");
  CHECK(not_ready.status == 503);
  auto body = nlohmann::json::parse(not_ready.body);
  CHECK(body["status"] == "not_ready");
  CHECK(body["database"] == "unreachable");
  CHECK(body["message"] == "La base de données ne répond pas.");
  CHECK(HttpGet(hub.http_port(), "/healthz").status == 200);  // alive all the same
  SetConnectionsAllowed(hub_db.name(), true);
  CHECK(WaitUntil(10s, [&] { return HttpGet(hub.http_port(), "/readyz").status == 200; }));
  node.Stop();
  hub.Stop();
}

TEST_CASE(
    "/readyz: 503 while a migration the service knows is not applied; the report never fails") {
  TestDatabase db;
  const auto migrations = hub::HubMigrations();
  {
    pqxx::connection c(db.connection_string());
    ApplyMigrations(c, migrations);
  }
  int newest = 0;
  for (const auto& m : migrations) newest = std::max(newest, m.version);
  PgPool pool({db.connection_string(), 1, std::chrono::seconds(10), nullptr});
  HttpRequest request;
  request.method = "GET";
  request.path = request.target = "/readyz";
  auto readyz = [&](int version) {
    OpsRoutes ops({.metrics = nullptr,
                   .metrics_allow = {},
                   .proxies_trusted = false,
                   .pool = &pool,
                   .migrations_version = version,
                   .report =
                       [] {
                         return nlohmann::json{{"hub", {{"reachable", false}}}};
                       }},
                  [](const HttpRequest&) { return HttpResponse::Json(200, R"({"next":true})"); });
    return ops(request);
  };
  const HttpResponse ready = readyz(newest);
  CHECK(ready.status == 200);
  auto body = nlohmann::json::parse(ready.body);
  CHECK(body["status"] == "ready");
  CHECK(body["migrations"] == "done");
  CHECK(body["hub"]["reachable"] == false);  // reported, not failing
  const HttpResponse pending = readyz(newest + 1);
  CHECK(pending.status == 503);
  body = nlohmann::json::parse(pending.body);
  CHECK(body["status"] == "not_ready");
  CHECK(body["database"] == "ok");
  CHECK(body["migrations"] == "pending");
  CHECK(body["message"] == "Des migrations de la base de données restent à appliquer.");
}
