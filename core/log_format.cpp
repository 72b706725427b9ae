#include "core/log_format.h"

#include <chrono>
#include <ctime>
#include <memory>
#include <stdexcept>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace ess {

namespace {

thread_local const std::string* current_request_id = nullptr;

std::string IsoTime(long long time_ms) {
  const std::time_t seconds = static_cast<std::time_t>(time_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(time_ms % 1000));
  return std::string(text, n) + millis;
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = JsonLogLine(
        ms, std::string_view(level.data(), level.size()),
        std::string_view(msg.logger_name.data(), msg.logger_name.size()),
        std::string_view(msg.payload.data(), msg.payload.size()), CurrentLogRequestId());
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

LogFormat ParseLogFormat(std::string_view text, std::string_view option_name) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  throw std::runtime_error("--" + std::string(option_name) + " : « " + std::string(text) +
                           " » inconnu (text ou json)");
}

void ConfigureLogging(std::string_view level, LogFormat format) {
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
  if (format == LogFormat::kJson) spdlog::set_formatter(std::make_unique<JsonFormatter>());
}

std::string JsonLogLine(long long time_ms, std::string_view level, std::string_view logger,
                        std::string_view message, std::string_view request_id) {
  nlohmann::ordered_json line{
      {"time", IsoTime(time_ms)}, {"level", level}, {"logger", logger}, {"message", message}};
  if (!request_id.empty()) line["request_id"] = request_id;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

LogRequestScope::LogRequestScope(std::string request_id)
    : id_(std::move(request_id)), previous_(current_request_id) {
  current_request_id = &id_;
}

LogRequestScope::~LogRequestScope() { current_request_id = previous_; }

std::string_view CurrentLogRequestId() {
  return current_request_id ? std::string_view(*current_request_id) : std::string_view();
}

}  // namespace ess
