#include "node/replication/journal_listener.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

namespace ess::node {

namespace {

class JournalReceiver final : public pqxx::notification_receiver {
 public:
  JournalReceiver(pqxx::connection_base& conn, const std::string& region,
                  const std::function<void()>& on_journalled)
      : pqxx::notification_receiver(conn, kJournalChannel),
        region_(region),
        on_journalled_(on_journalled) {}

  void operator()(const std::string& payload, int) override {
    if (payload == region_) on_journalled_();
  }

 private:
  const std::string& region_;
  const std::function<void()>& on_journalled_;
};

}  // namespace

struct JournalListener::Impl {
  std::string database;
  std::string region;
  std::function<void()> on_journalled;
  std::chrono::milliseconds retry;
  int stop_pipe[2] = {-1, -1};
  std::atomic<bool> stopping{false};
  std::atomic<bool> listening{false};
  std::thread thread;

  // Waits until `fd` is readable (true) or the stop pipe is, or `timeout` passed (false).
  bool WaitReadable(int fd, int timeout_ms) const {
    pollfd fds[2] = {{stop_pipe[0], POLLIN, 0}, {fd, POLLIN, 0}};
    const int n = poll(fds, fd < 0 ? 1 : 2, timeout_ms);
    if (n <= 0 || stopping) return false;
    return fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  }

  // One connection's life: LISTEN, then deliver notifications until it breaks or we stop.
  void Listen() {
    pqxx::connection conn(database);
    JournalReceiver receiver(conn, region, on_journalled);
    conn.get_notifs();  // the LISTEN took effect: tell what may have been missed before
    listening = true;
    on_journalled();
    while (!stopping) {
      if (conn.sock() < 0) throw pqxx::broken_connection("connexion fermée");
      if (WaitReadable(conn.sock(), -1)) conn.get_notifs();
    }
  }

  void Run() {
    while (!stopping) {
      try {
        Listen();
      } catch (const std::exception& e) {
        if (stopping) break;
        spdlog::warn("écoute du journal {} : {} ; nouvel essai dans {} ms", region, e.what(),
                     retry.count());
        WaitReadable(-1, static_cast<int>(retry.count()));
      }
    }
  }
};

JournalListener::JournalListener(std::string database, std::string region,
                                 std::function<void()> on_journalled,
                                 std::chrono::milliseconds retry)
    : impl_(std::make_unique<Impl>()) {
  impl_->database = std::move(database);
  impl_->region = std::move(region);
  impl_->on_journalled = std::move(on_journalled);
  impl_->retry = retry;
  if (pipe(impl_->stop_pipe) != 0) throw std::runtime_error("JournalListener: pipe");
}

JournalListener::~JournalListener() {
  Stop();
  close(impl_->stop_pipe[0]);
  close(impl_->stop_pipe[1]);
}

void JournalListener::Start() {
  impl_->thread = std::thread([this] { impl_->Run(); });
}

void JournalListener::Stop() {
  if (!impl_->stopping.exchange(true)) {
    const char byte = 0;
    [[maybe_unused]] auto written = write(impl_->stop_pipe[1], &byte, 1);
  }
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool JournalListener::Listening() const { return impl_->listening; }

}  // namespace ess::node
