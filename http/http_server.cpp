#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "http/asio.h"

namespace ess {

namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

HttpRequest ToHttpRequest(const http::request<http::string_body>& req, const std::string& client) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  std::string_view target = out.target;
  auto q = target.find('?');
  out.path = PercentDecode(target.substr(0, q), false).value_or(std::string(target.substr(0, q)));
  if (q != std::string_view::npos) out.query = ParseQuery(target.substr(q + 1));
  for (const auto& field : req) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    out.headers[name] = std::string(field.value());
  }
  out.body = req.body();
  out.client_address = client;
  return out;
}

http::response<http::string_body> ToBeastResponse(const HttpResponse& res, unsigned version,
                                                  bool keep_alive, const std::string& server) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, server);
  out.set(http::field::content_type, res.content_type);
  out.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  out.body() = res.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler handler;
  asio::io_context io;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  bool stopped = false;

  Impl(HttpServerOptions opts, HttpHandler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        io(static_cast<int>(options.io_threads)),
        workers(options.worker_threads),
        acceptor(io) {
    tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
  }

  // A member coroutine, not a capturing lambda: GCC 12 mishandles lambda-coroutine
  // captures (the request was freed twice).
  awaitable<HttpResponse> Invoke(HttpRequest request) {
    try {
      co_return handler(request);
    } catch (const std::exception& e) {
      spdlog::error("http {} {}: {}", request.method, request.path, e.what());
      co_return HttpResponse::Error(500, "internal", "Erreur interne du serveur.");
    }
  }

  // Runs the handler on the worker pool, then resumes on this connection's executor.
  awaitable<HttpResponse> RunHandler(HttpRequest request) {
    co_return co_await asio::co_spawn(workers, Invoke(std::move(request)), use_awaitable);
  }

  awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string client;
    try {
      client = stream.socket().remote_endpoint().address().to_string();
    } catch (...) {
    }
    try {
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(options.body_limit);
        parser.header_limit(16 * 1024);
        stream.expires_after(options.idle_timeout);
        beast::error_code ec;
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(use_awaitable, ec));
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::connection_reset || ec == asio::error::eof) {
          break;
        }
        if (ec) {
          int status = ec == http::error::body_limit     ? 413
                       : ec == http::error::header_limit ? 431
                                                         : 400;
          std::string message = status == 413 ? "Requête trop volumineuse."
                                : status == 431 ? "En-têtes trop volumineux."
                                                : "Requête HTTP illisible.";
          auto res = ToBeastResponse(
              HttpResponse::Error(status, status == 400 ? "bad_request" : "too_large", message),
              11, false, options.server_name);
          co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
          break;
        }
        auto req = parser.release();
        bool keep_alive = req.keep_alive();
        HttpResponse response = co_await RunHandler(ToHttpRequest(req, client));
        auto res = ToBeastResponse(response, req.version(), keep_alive, options.server_name);
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        if (ec || !keep_alive) break;
      }
    } catch (const std::exception& e) {
      spdlog::debug("http session ended: {}", e.what());
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;
      asio::co_spawn(acceptor.get_executor(), Session(std::move(socket)), asio::detached);
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
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->io_threads) t.join();
  impl_->workers.join();
}

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

}  // namespace ess
