// The service manager's notification (core/systemd_notify.h): the datagram a Type=notify
// unit waits for, received on a real unix socket as systemd would, by path and abstract name.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "core/systemd_notify.h"

using ess::NotifyServiceManager;

namespace {

// A datagram socket bound to `name` (a path, or "@name": abstract), as systemd listens.
class NotifyListener {
 public:
  explicit NotifyListener(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    timeval bound{5, 0};  // a lost datagram fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  }
  ~NotifyListener() { ::close(fd_); }
  std::string Receive() {
    char buffer[8192];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? std::string("(nothing received)") : std::string(buffer, n);
  }

 private:
  int fd_ = -1;
};

std::string Unique(const std::string& prefix) {
  return prefix + std::to_string(::getpid()) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("systemd notification: READY=1 reaches the socket NOTIFY_SOCKET names") {
  const auto path = std::filesystem::temp_directory_path() / Unique("ess_notify_");
  {
    NotifyListener listener(path.string());
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    std::string error = "stale";
    CHECK(NotifyServiceManager("READY=1", &error));
    CHECK(error.empty());
    CHECK(listener.Receive() == "READY=1");
    CHECK(NotifyServiceManager("STOPPING=1"));
    CHECK(listener.Receive() == "STOPPING=1");
  }
  std::filesystem::remove(path);

  const std::string abstract = "@" + Unique("ess_notify_");
  NotifyListener listener(abstract);
  ::setenv("NOTIFY_SOCKET", abstract.c_str(), 1);
  CHECK(NotifyServiceManager("READY=1"));
  CHECK(listener.Receive() == "READY=1");
  ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("systemd notification: nothing without NOTIFY_SOCKET, a clear error for a bad one") {
  std::string error;
  ::unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(NotifyServiceManager("READY=1", &error));
  CHECK(error.empty());
  ::setenv("NOTIFY_SOCKET", "", 1);
  CHECK_FALSE(NotifyServiceManager("READY=1", &error));
  CHECK(error.empty());

  ::setenv("NOTIFY_SOCKET", "run/notify", 1);
  CHECK_FALSE(NotifyServiceManager("READY=1", &error));
  CHECK(error == "NOTIFY_SOCKET=run/notify : ni un chemin absolu ni un nom abstrait (@…)");
  ::setenv("NOTIFY_SOCKET", ("/" + std::string(200, 'x')).c_str(), 1);
  CHECK_FALSE(NotifyServiceManager("READY=1", &error));
  CHECK(error.find("trop long") != std::string::npos);
  const auto absent = (std::filesystem::temp_directory_path() / Unique("ess_absent_")).string();
  ::setenv("NOTIFY_SOCKET", absent.c_str(), 1);
  CHECK_FALSE(NotifyServiceManager("READY=1", &error));
  CHECK(error.find("envoi à " + absent + " : ") == 0);
  CHECK_FALSE(NotifyServiceManager(std::string(5000, 'x'), &error));
  CHECK(error.find("4096") != std::string::npos);
  ::unsetenv("NOTIFY_SOCKET");
}
