#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/log_format.h"
#include "core/metrics.h"
#include "core/pg_pool.h"

#include "http/asio.h"
#include "http/beast_request.h"

namespace ess {

namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

// Whether the client of connection `fd` has closed it (EOF or reset), without consuming what
// it may have sent: a non-blocking peek, safe from any thread while the socket is open.
bool ClientLeft(int fd) {
  char byte;
  const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// Whether a Content-Security-Policy has a frame-ancestors directive (names are
// case-insensitive, directives separated by ';').
bool NamesFrameAncestors(std::string_view policy) {
  while (!policy.empty()) {
    const auto end = policy.find(';');
    std::string_view directive = policy.substr(0, end);
    policy = end == std::string_view::npos ? std::string_view{} : policy.substr(end + 1);
    while (!directive.empty() && (directive.front() == ' ' || directive.front() == '\t'))
      directive.remove_prefix(1);
    constexpr std::string_view kName = "frame-ancestors";
    if (directive.size() >= kName.size() &&
        std::equal(
            kName.begin(), kName.end(), directive.begin(),
            [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }) &&
        (directive.size() == kName.size() || directive[kName.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

// The handler's headers, then the security headers it did not set itself.
template <class Body>
void SetHeaders(http::response<Body>& out, const HttpResponse& res, bool keep_alive,
                const std::string& server) {
  out.set(http::field::server, server);
  out.set(http::field::content_type, res.content_type);
  out.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  auto set_default = [&out](const char* name, const char* value) {
    if (out.find(name) == out.end()) out.set(name, value);
  };
  set_default("Referrer-Policy", "no-referrer");
  // A handler's policy that names its frame-ancestors decides who may frame the answer (the
  // embed page: web_site.h); X-Frame-Options, which cannot name a site, would only deny.
  const auto policy = out.find("Content-Security-Policy");
  if (policy == out.end() ||
      !NamesFrameAncestors(std::string_view(policy->value().data(), policy->value().size()))) {
    set_default("X-Frame-Options", "DENY");
  }
  set_default("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  out.keep_alive(keep_alive);
}

awaitable<beast::error_code> Write(beast::tcp_stream& stream, const HttpResponse& res,
                                   unsigned version, bool keep_alive, const std::string& server) {
  beast::error_code ec;
  const auto status = static_cast<http::status>(res.status);
  if (res.shared_body) {
    http::response<http::span_body<const char>> out{status, version};
    SetHeaders(out, res, keep_alive, server);
    out.body() = beast::span<const char>(res.shared_body->data(), res.shared_body->size());
    out.prepare_payload();
    co_await http::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
  } else {
    http::response<http::string_body> out{status, version};
    SetHeaders(out, res, keep_alive, server);
    out.body() = res.body;
    out.prepare_payload();
    co_await http::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
  }
  co_return ec;
}

bool ConnectionEnded(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::eof;
}

HttpResponse ParseFailure(const beast::error_code& ec) {
  if (ec == http::error::body_limit)
    return HttpResponse::Error(413, "too_large", "Requête trop volumineuse.");
  if (ec == http::error::header_limit)
    return HttpResponse::Error(431, "too_large", "En-têtes trop volumineux.");
  return HttpResponse::Error(400, "bad_request", "Requête HTTP illisible.");
}

HttpResponse ServerBusy() {
  HttpResponse res = HttpResponse::Error(
      503, "server_busy", "Le serveur est très sollicité : réessayez dans un instant.");
  res.headers.emplace_back("Retry-After", "1");
  return res;
}

// A route class full, or a query that could not run in time: 503 at once, never a queue.
HttpResponse Busy() {
  HttpResponse res = HttpResponse::Error(
      503, "busy", "Le service est très sollicité : réessayez dans quelques secondes.");
  res.headers.emplace_back("Retry-After", "2");
  return res;
}

// One route class: its workers and how many requests it holds, waiting or running.
struct ClassLane {
  ClassLane(std::size_t workers, const RouteClassLimits& class_limits,
            std::chrono::milliseconds sleep)
      : pool(workers),
        limits(class_limits),
        capacity(workers + class_limits.queue),
        test_sleep(sleep) {}

  bool Admit() {
    std::size_t n = admitted.load();
    while (n < capacity) {
      if (admitted.compare_exchange_weak(n, n + 1)) {
        if (admitted_gauge) admitted_gauge->Inc();
        return true;
      }
    }
    return false;
  }
  void Leave() {
    admitted.fetch_sub(1);
    if (admitted_gauge) admitted_gauge->Dec();
  }

  asio::thread_pool pool;
  const RouteClassLimits limits;
  const std::size_t capacity;
  const std::chrono::milliseconds test_sleep;
  std::atomic<std::size_t> admitted{0};
  Gauge* admitted_gauge = nullptr;  // the metric of `admitted`, if any
};

// While a request runs, whether its client is still there: `running` is cleared (on the
// session's strand) once the handler answered, so a late wake-up touches nothing.
struct HangupWatch {
  bool running = true;
};

// What open connections hold, under one lock: they come and go on any I/O thread.
class Admission {
 public:
  explicit Admission(const HttpServerOptions& options) : options_(options) {}

  bool OpenConnection(const std::string& client) {
    std::lock_guard lock(mutex_);
    if (open_ >= options_.max_connections) return false;
    if (IsTrustedProxy(client, options_.trusted_proxies)) {
      ++per_client_[client];
      ++open_;
      return true;
    }
    auto& mine = per_client_[client];
    if (options_.max_connections_per_client != 0 && mine >= options_.max_connections_per_client) {
      if (mine == 0) per_client_.erase(client);
      return false;
    }
    ++mine;
    ++open_;
    return true;
  }
  void CloseConnection(const std::string& client) {
    std::lock_guard lock(mutex_);
    --open_;
    if (auto it = per_client_.find(client); it != per_client_.end() && --it->second == 0)
      per_client_.erase(it);
  }
  bool ReserveBody(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    if (bytes > options_.body_buffer_limit - reserved_) return false;
    reserved_ += bytes;
    return true;
  }
  void ReleaseBody(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    reserved_ -= bytes;
  }
  std::size_t open() const {
    std::lock_guard lock(mutex_);
    return open_;
  }
  std::size_t reserved() const {
    std::lock_guard lock(mutex_);
    return reserved_;
  }

 private:
  const HttpServerOptions& options_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_client_;
  std::size_t reserved_ = 0;
};

// A body reservation, released when the request is done.
class BodyReservation {
 public:
  explicit BodyReservation(Admission& admission) : admission_(admission) {}
  ~BodyReservation() {
    if (bytes_ != 0) admission_.ReleaseBody(bytes_);
  }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;
  bool Reserve(std::size_t bytes) {
    if (!admission_.ReserveBody(bytes)) return false;
    bytes_ = bytes;
    return true;
  }

 private:
  Admission& admission_;
  std::size_t bytes_ = 0;
};

// A new request id: 16 hexadecimal digits from a per-thread generator.
std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

// A bounded label for the method: the usual ones, else "other".
const char* MethodLabel(const std::string& method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

// The server's series (HttpServerOptions::metrics).
struct HttpMetrics {
  explicit HttpMetrics(MetricsRegistry& registry)
      : duration(registry.AddHistogram(
            "ess_http_request_duration_seconds",
            "Durée des requêtes HTTP, de la fin de leur lecture à leur réponse, par motif de route "
            "(other : pages, fichiers, 404, refus), méthode et statut",
            {"route", "method", "code"}, DurationBuckets())),
        open_connections(
            registry.AddGauge("ess_http_open_connections", "Connexions HTTP ouvertes maintenant")
                .With()),
        admitted(registry.AddGauge("ess_http_admitted_requests",
                                   "Requêtes HTTP admises (en attente ou en cours) par classe",
                                   {"class"})) {}

  HistogramFamily& duration;
  Gauge& open_connections;
  GaugeFamily& admitted;
};

}  // namespace

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler handler;
  asio::io_context io;
  std::unique_ptr<ClassLane> lanes[kRouteClasses];
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  bool stopped = false;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> hang_ups{0};
  Admission admission{options};
  std::unique_ptr<HttpMetrics> metrics;
  Gauge* admitted_gauges[kRouteClasses] = {};
  // The cancel handles of admitted requests, so that Stop() can cancel their queries.
  std::mutex active_mutex;
  std::condition_variable active_done;
  std::unordered_set<std::shared_ptr<PgCancelHandle>> active;

  Impl(HttpServerOptions opts, HttpHandler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        io(static_cast<int>(options.io_threads)),
        acceptor(io) {
    lanes[static_cast<std::size_t>(RouteClass::kCheap)] = std::make_unique<ClassLane>(
        options.worker_threads, options.cheap, std::chrono::milliseconds(0));
    if (!options.route_classes) options.route_class = nullptr;
    if (options.route_class) {
      lanes[static_cast<std::size_t>(RouteClass::kExpensive)] = std::make_unique<ClassLane>(
          options.expensive_workers, options.expensive, options.test_expensive_sleep);
    }
    if (options.metrics) {
      metrics = std::make_unique<HttpMetrics>(*options.metrics);
      admitted_gauges[static_cast<std::size_t>(RouteClass::kCheap)] =
          &metrics->admitted.With({"cheap"});
      if (options.route_class) {
        admitted_gauges[static_cast<std::size_t>(RouteClass::kExpensive)] =
            &metrics->admitted.With({"expensive"});
      }
    }
    for (std::size_t i = 0; i < kRouteClasses; ++i) {
      if (lanes[i]) lanes[i]->admitted_gauge = admitted_gauges[i];
    }
    tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
  }

  ClassLane& LaneOf(const HttpRequest& request) {
    const RouteClass route_class =
        options.route_class ? options.route_class(request) : RouteClass::kCheap;
    ClassLane* lane = lanes[static_cast<std::size_t>(route_class)].get();
    return lane ? *lane : *lanes[static_cast<std::size_t>(RouteClass::kCheap)];
  }

  void Track(const std::shared_ptr<PgCancelHandle>& cancel) {
    std::lock_guard lock(active_mutex);
    active.insert(cancel);
  }
  void Untrack(const std::shared_ptr<PgCancelHandle>& cancel) {
    {
      std::lock_guard lock(active_mutex);
      active.erase(cancel);
    }
    active_done.notify_all();
  }

  // On a worker of `lane`: the handler under the class's limits, unless the request waited
  // too long, its client left or the server stops.
  HttpResponse RunOnWorker(const HttpRequest& request, ClassLane& lane,
                           const std::shared_ptr<PgCancelHandle>& cancel,
                           std::chrono::steady_clock::time_point queued, int client) {
    struct Release {
      Impl& impl;
      ClassLane& lane;
      const std::shared_ptr<PgCancelHandle>& cancel;
      ~Release() {
        lane.Leave();
        impl.Untrack(cancel);
      }
    } release{*this, lane, cancel};
    // The hang-up watch runs on the connection's strand: a queued request can reach a worker
    // before it saw the client leave (hub_overload_test met it), so look again here.
    if (stopping.load() || cancel->cancelled() || ClientLeft(client)) return Busy();
    if (lane.limits.queue_wait.count() > 0 &&
        std::chrono::steady_clock::now() - queued > lane.limits.queue_wait) {
      return Busy();
    }
    LogRequestScope log_scope(request.headers.at("x-request-id"));
    try {
      PgWorkScope scope(
          {lane.limits.statement_timeout, lane.limits.pool_wait, cancel, lane.test_sleep});
      return handler(request);
    } catch (const std::exception& e) {
      if (IsPgOverload(e)) {
        spdlog::debug("http {} {}: {}", request.method, request.path, e.what());
        return Busy();
      }
      spdlog::error("http {} {} (requête {}): {}", request.method, request.path,
                    request.headers.at("x-request-id"), e.what());
      return HttpResponse::Error(500, "internal", "Erreur interne du serveur.");
    }
  }

  // A member coroutine, not a capturing lambda: GCC 12 mishandles lambda-coroutine
  // captures (the request was freed twice).
  awaitable<HttpResponse> Invoke(HttpRequest request, ClassLane* lane,
                                 std::shared_ptr<PgCancelHandle> cancel,
                                 std::chrono::steady_clock::time_point queued, int client) {
    co_return RunOnWorker(request, *lane, cancel, queued, client);
  }

  // Runs the handler on its class's workers, then resumes on this connection's strand; 503
  // at once when the class is full. While it waits or runs, a client that closes its
  // connection cancels it.
  awaitable<HttpResponse> RunHandler(HttpRequest request, tcp::socket& socket) {
    const auto started = std::chrono::steady_clock::now();
    auto& id = request.headers["x-request-id"];
    if (!IsSaneRequestId(id)) id = NewRequestId();
    std::string request_id = id;
    std::string method = request.method;
    HttpResponse response = co_await RunAdmitted(std::move(request), socket);
    Account(method, request_id, response, std::chrono::steady_clock::now() - started);
    response.headers.emplace_back("X-Request-Id", std::move(request_id));
    co_return response;
  }

  // The request's metrics and access log line.
  void Account(const std::string& method, const std::string& request_id,
               const HttpResponse& response, std::chrono::steady_clock::duration took) {
    const std::string& route = response.route.empty() ? kNoRoute : response.route;
    const double seconds = std::chrono::duration<double>(took).count();
    if (metrics) {
      metrics->duration.With({route, MethodLabel(method), std::to_string(response.status)})
          .Observe(seconds);
    }
    if (options.access_log) {
      LogRequestScope log_scope(request_id);
      spdlog::info("http {} {} {} {:.1f} ms requête {}", method, route, response.status,
                   seconds * 1000, request_id);
    }
  }
  inline static const std::string kNoRoute = "other";

  awaitable<HttpResponse> RunAdmitted(HttpRequest request, tcp::socket& socket) {
    ClassLane& lane = LaneOf(request);
    if (stopping.load() || !lane.Admit()) co_return Busy();
    auto cancel = std::make_shared<PgCancelHandle>();
    Track(cancel);
    auto watch = std::make_shared<HangupWatch>();
    socket.async_wait(tcp::socket::wait_read, [this, watch, cancel, &socket](beast::error_code ec) {
      if (ec || !watch->running) return;
      // Readable while the request runs: the client closed (EOF, reset) or sent more.
      if (ClientLeft(socket.native_handle())) {
        ++hang_ups;
        cancel->Cancel();
      }
    });
    HttpResponse response =
        co_await asio::co_spawn(lane.pool,
                                Invoke(std::move(request), &lane, cancel,
                                       std::chrono::steady_clock::now(), socket.native_handle()),
                                use_awaitable);
    watch->running = false;
    beast::error_code ignored;
    socket.cancel(ignored);
    co_return response;
  }

  awaitable<void> Session(tcp::socket socket, std::string client) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    try {
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(options.body_limit);
        parser.header_limit(16 * 1024);
        stream.expires_after(options.idle_timeout);
        beast::error_code ec;
        co_await http::async_read_header(stream, buffer, parser,
                                         asio::redirect_error(use_awaitable, ec));
        if (ConnectionEnded(ec)) break;
        if (ec) {
          co_await Write(stream, ParseFailure(ec), 11, false, options.server_name);
          break;
        }
        BodyReservation reservation(admission);
        if (!parser.is_done()) {
          const auto declared = parser.content_length();
          const std::size_t needed =
              declared ? static_cast<std::size_t>(*declared) : options.body_limit;
          if (needed > kSmallBodyBytes && !reservation.Reserve(needed)) {
            co_await Write(stream, ServerBusy(), parser.get().version(), false,
                           options.server_name);
            break;
          }
          co_await http::async_read(stream, buffer, parser,
                                    asio::redirect_error(use_awaitable, ec));
          if (ConnectionEnded(ec)) break;
          if (ec) {
            co_await Write(stream, ParseFailure(ec), 11, false, options.server_name);
            break;
          }
        }
        auto req = parser.release();
        bool keep_alive = req.keep_alive();
        HttpResponse response = co_await RunHandler(
            ToHttpRequest(req, client, options.trusted_proxies), stream.socket());
        stream.expires_after(options.idle_timeout);
        ec = co_await Write(stream, response, req.version(), keep_alive, options.server_name);
        if (ec || !keep_alive) break;
      }
    } catch (const std::exception& e) {
      spdlog::debug("http session ended: {}", e.what());
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    admission.CloseConnection(client);
    if (metrics) metrics->open_connections.Dec();
  }

  // Over a connection cap: a short 503, then the connection is closed.
  awaitable<void> Refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    stream.expires_after(std::chrono::seconds(5));
    co_await Write(stream, ServerBusy(), 11, false, options.server_name);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      // Each connection on its own strand: its session and its hang-up watch never run at
      // once, whatever the number of I/O threads.
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io),
                                                          asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;
      std::string client = socket.remote_endpoint(ec).address().to_string();
      if (!admission.OpenConnection(client)) {
        auto executor = socket.get_executor();
        asio::co_spawn(executor, Refuse(std::move(socket)), asio::detached);
        continue;
      }
      if (metrics) metrics->open_connections.Inc();
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket), std::move(client)), asio::detached);
    }
  }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Start() {
  impl_->work.emplace(impl_->io.get_executor());
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  for (std::size_t i = 0; i < impl_->options.io_threads; ++i) {
    impl_->io_threads.emplace_back([this] { impl_->io.run(); });
  }
}

void HttpServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping = true;
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  {
    // Waiting requests answer 503 without running; running ones see their query cancelled.
    std::unique_lock lock(impl_->active_mutex);
    for (const auto& cancel : impl_->active) cancel->Cancel();
    if (!impl_->active_done.wait_for(lock, impl_->options.stop_wait,
                                     [this] { return impl_->active.empty(); })) {
      spdlog::warn("http : {} requête(s) encore en cours à l'arrêt", impl_->active.size());
    }
  }
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->io_threads) t.join();
  for (auto& lane : impl_->lanes) {
    if (lane) lane->pool.join();
  }
}

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }
std::size_t HttpServer::open_connections() const { return impl_->admission.open(); }
std::size_t HttpServer::reserved_body_bytes() const { return impl_->admission.reserved(); }
std::size_t HttpServer::hang_ups() const { return impl_->hang_ups.load(); }
std::size_t HttpServer::admitted(RouteClass route_class) const {
  const auto& lane = impl_->lanes[static_cast<std::size_t>(route_class)];
  return lane ? lane->admitted.load() : 0;
}

}  // namespace ess
