#include "core/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <spdlog/spdlog.h>

namespace ess {

namespace {

constexpr std::size_t kMaxState = 4096;

bool Fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

void NotifyOrWarn(std::string_view state) {
  std::string error;
  if (!NotifyServiceManager(state, &error) && !error.empty()) {
    spdlog::warn("notification au gestionnaire de services ({}) : {}", state, error);
  }
}

}  // namespace

bool NotifyServiceManager(std::string_view state, std::string* error) {
  if (error) error->clear();
  const char* variable = std::getenv("NOTIFY_SOCKET");
  if (variable == nullptr || *variable == '\0') return false;
  const std::string name(variable);
  if (state.empty() || state.size() > kMaxState) {
    return Fail(error, "message vide ou de plus de 4096 octets");
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (name[0] != '/' && name[0] != '@') {
    return Fail(error, "NOTIFY_SOCKET=" + name + " : ni un chemin absolu ni un nom abstrait (@…)");
  }
  if (name.size() >= sizeof(address.sun_path)) {
    return Fail(error, "NOTIFY_SOCKET=" + name + " : nom de socket trop long");
  }
  std::memcpy(address.sun_path, name.data(), name.size());
  if (name[0] == '@') address.sun_path[0] = '\0';  // the abstract namespace
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(error, std::string("socket : ") + std::strerror(errno));
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int send_errno = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(state.size())) {
    return Fail(error, "envoi à " + name + " : " +
                           (sent < 0 ? std::strerror(send_errno) : "datagramme tronqué"));
  }
  return true;
}

void NotifyReady() { NotifyOrWarn("READY=1"); }

void NotifyStopping() { NotifyOrWarn("STOPPING=1"); }

}  // namespace ess
