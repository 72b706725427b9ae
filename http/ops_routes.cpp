#include "http/ops_routes.h"

#include <array>
#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "http/asio.h"

namespace ess {

namespace {

// The bytes of an address, or false.
bool AddressBytes(std::string_view text, std::array<unsigned char, 16>& bytes, std::size_t& size) {
  beast::error_code ec;
  auto address = asio::ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  if (address.is_v4()) {
    const auto b = address.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
    size = 4;
  } else {
    const auto b = address.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
    size = 16;
  }
  return true;
}

// "a.b.c.d", "a.b.c.d/n", "x::y/n": its bytes and prefix length, or false.
bool ParseNetwork(std::string_view item, std::array<unsigned char, 16>& bytes, std::size_t& size,
                  std::size_t& prefix) {
  const auto slash = item.find('/');
  if (!AddressBytes(item.substr(0, slash), bytes, size)) return false;
  prefix = size * 8;
  if (slash == std::string_view::npos) return true;
  const std::string_view bits = item.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  std::size_t n = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n > size * 8) return false;
  prefix = n;
  return true;
}

}  // namespace

bool AddressAllowed(std::string_view address, const std::vector<std::string>& allow) {
  std::array<unsigned char, 16> client{};
  std::size_t client_size = 0;
  const bool readable = AddressBytes(address, client, client_size);
  for (const auto& item : allow) {
    if (item == "any") return true;
    std::array<unsigned char, 16> net{};
    std::size_t size = 0, prefix = 0;
    if (!readable || !ParseNetwork(item, net, size, prefix) || size != client_size) continue;
    bool match = true;
    for (std::size_t bit = 0; bit < prefix && match; bit += 8) {
      const std::size_t left = std::min<std::size_t>(8, prefix - bit);
      const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - left));
      match = (client[bit / 8] & mask) == (net[bit / 8] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::vector<std::string> ParseAddressList(std::string_view text, std::string_view option_name) {
  std::vector<std::string> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string item(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) continue;
    std::array<unsigned char, 16> bytes{};
    std::size_t size = 0, prefix = 0;
    if (item != "any" && (item.size() > 64 || !ParseNetwork(item, bytes, size, prefix))) {
      throw std::runtime_error("--" + std::string(option_name) +
                               " : adresse ou réseau illisible « " + item +
                               " » (ex. 127.0.0.1, 10.0.0.0/8, ::1, any)");
    }
    out.push_back(item);
  }
  return out;
}

OpsRoutes::OpsRoutes(OpsRoutesOptions options, HttpHandler next)
    : options_(std::move(options)), next_(std::move(next)) {
  router_
      .Add("GET", "/metrics",
           [this](const HttpRequest& r, const PathParams&) { return Metrics(r); })
      .Add("GET", "/readyz", [this](const HttpRequest&, const PathParams&) { return Ready(); });
}

HttpResponse OpsRoutes::operator()(const HttpRequest& request) const {
  if (request.path == "/metrics" || request.path == "/readyz") return router_(request);
  return next_(request);
}

HttpResponse OpsRoutes::Metrics(const HttpRequest& request) const {
  if (!options_.metrics) return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
  const bool forwarded = request.Header("x-forwarded-for").has_value();
  if ((forwarded && !options_.proxies_trusted) ||
      !AddressAllowed(request.client_address, options_.metrics_allow)) {
    return HttpResponse::Error(
        403, "forbidden",
        "Les métriques ne sont lisibles que depuis les adresses de --metrics-allow.");
  }
  return HttpResponse::Text(200, options_.metrics->Render(),
                            std::string(MetricsRegistry::kContentType));
}

HttpResponse OpsRoutes::Ready() const {
  nlohmann::json body{{"status", "ready"}, {"database", "ok"}, {"migrations", "done"}};
  int status = 200;
  if (options_.pool == nullptr) {
    body["database"] = "none";
  } else {
    try {
      // Bounded: a readiness probe must answer before its own timeout.
      PgWorkScope scope({std::chrono::milliseconds(2000), std::chrono::milliseconds(2000)});
      const int version = options_.pool->WithTransaction([](pqxx::work& txn) {
        return txn.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
      });
      if (version < options_.migrations_version) {
        body["migrations"] = "pending";
        body["message"] = "Des migrations de la base de données restent à appliquer.";
        status = 503;
      }
    } catch (const std::exception& e) {
      spdlog::warn("readyz : base de données injoignable : {}", e.what());
      body["database"] = "unreachable";
      body["migrations"] = "unknown";
      body["message"] = "La base de données ne répond pas.";
      status = 503;
    }
  }
  if (options_.report) {
    const nlohmann::json report = options_.report();  // kept alive while iterated
    for (const auto& [key, value] : report.items()) body[key] = value;
  }
  if (status != 200) {
    body["status"] = "not_ready";
  } else {
    body["message"] = "Prêt.";
  }
  return HttpResponse::Json(status, body.dump());
}

}  // namespace ess
