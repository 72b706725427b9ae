#pragma once
// Hears the region's journal grow, whichever process wrote it: LISTENs on the node's database
// for the notifications that node/sql/200_journal_notify.sql sends when a transaction that
// journalled commits (this node, a second ess-node process on the same database, essctl), and
// calls `on_journalled` for each one about `region`. main wakes the uploader with it, so an
// entry goes to the hub at once rather than at the uploader's next poll (which stays as the
// fallback: a notification lost while the connection was down is covered by the poll, and by
// one call of `on_journalled` after each reconnection).
//
// One thread and one connection of its own, which waits on the connection's socket (and on a
// pipe that Stop() writes to): no polling. A broken connection is reopened every `retry`.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace ess::node {

// The channel node/sql/200_journal_notify.sql notifies; the payload is the region.
inline constexpr const char* kJournalChannel = "ess_journal";

class JournalListener {
 public:
  // `database` is a libpq connection string; nothing connects before Start(). `on_journalled`
  // runs on the listener's thread: it must be quick and must not throw.
  JournalListener(std::string database, std::string region, std::function<void()> on_journalled,
                  std::chrono::milliseconds retry = std::chrono::seconds(1));
  ~JournalListener();  // Stop()s
  JournalListener(const JournalListener&) = delete;
  JournalListener& operator=(const JournalListener&) = delete;

  void Start();
  // Wakes the thread and joins it. Idempotent.
  void Stop();
  // True once the thread has LISTENed at least once (for tests: a write after this is heard).
  bool Listening() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess::node
