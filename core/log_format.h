#pragma once
// How the node and the hub write their logs (spdlog's default logger, on standard error):
// `log-format = text` (the default, for a terminal: spdlog's usual line) or `json`, one JSON
// object per line for a log collector:
//   {"time":"2026-01-31T12:00:00.123Z","level":"info","logger":"","message":"...",
//    "request_id":"..."}
// written with nlohmann-json (every character escaped as JSON wants it; bytes that are not
// UTF-8 replaced), `request_id` present while a LogRequestScope is active on the thread (the
// HTTP server sets one around each request, http/http_server.h), so that whatever a handler
// logs names its request.

#include <string>
#include <string_view>

namespace ess {

enum class LogFormat { kText, kJson };

// "text" or "json"; throws std::runtime_error with a French message naming `option_name`.
LogFormat ParseLogFormat(std::string_view text, std::string_view option_name = "log-format");

// Sets the default logger's level ("trace" ... "critical", as spdlog reads it) and format.
void ConfigureLogging(std::string_view level, LogFormat format);

// The JSON line of one message (without the newline), as ConfigureLogging(kJson) writes it;
// `time_ms` is milliseconds since the epoch. For tests.
std::string JsonLogLine(long long time_ms, std::string_view level, std::string_view logger,
                        std::string_view message, std::string_view request_id);

// The request the calling thread works for, named in its log lines; scopes nest.
class LogRequestScope {
 public:
  explicit LogRequestScope(std::string request_id);
  ~LogRequestScope();
  LogRequestScope(const LogRequestScope&) = delete;
  LogRequestScope& operator=(const LogRequestScope&) = delete;

 private:
  std::string id_;
  const std::string* previous_;
};

// The innermost scope's request id on this thread, or "".
std::string_view CurrentLogRequestId();

}  // namespace ess
