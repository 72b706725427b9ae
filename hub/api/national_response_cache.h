#pragma once
// HTTP caching of the hub's national read routes (docs/decisions/0013-search-and-caching.md).
// An answer is a function of the request's path and query and of the national view's state
// (hub/store/national_view_version.h: the version the triggers bump with every change, and
// the next time the clock changes an answer). So each answer carries a weak ETag made of that
// state and the request, a request whose If-None-Match holds it gets a 304 without running any
// query, and a 200 computed under a state is kept in memory (LRU, bounded in entries and
// bytes) and served again while the state is the same. A second hub process on the same
// database bumps the same counters: its writes invalidate this cache too.
//
// Only for public answers that depend on nothing but path, query and the national view (never
// a cookie or a header): the pilot's routes and the replication status (which moves with the
// clock at every contact) are not served through it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "http/http_types.h"
#include "hub/store/national_view_version.h"

namespace ess::hub {

struct NationalCacheOptions {
  bool enabled = true;  // false: every request runs its query (ETags and 304 still work)
  std::size_t max_entries = 4096;
  std::size_t max_bytes = 64u << 20;       // bodies and keys
  std::size_t max_entry_bytes = 4u << 20;  // a larger answer (an export) is never kept
  // How long a state read stays trusted before the next request reads it again. 0: read it
  // at every request (one small statement: the answer is never older than the last commit
  // before the request). A period trades that much staleness for one read per period.
  std::chrono::milliseconds state_check{0};
};

class NationalResponseCache {
 public:
  // Reads the state for the clock's `now_ms` (a pooled connection); may throw.
  using StateReader = std::function<NationalViewState(std::int64_t now_ms)>;

  NationalResponseCache(StateReader read_state, const Clock& clock, NationalCacheOptions options);

  // 304 when If-None-Match holds the current ETag; else the kept answer computed under the
  // current state; else `compute()`, kept when it is a 200. Every 200 and 304 carries the
  // ETag and Cache-Control: public, no-cache (anyone may keep it, revalidating first).
  HttpResponse Serve(const HttpRequest& request, const std::function<HttpResponse()>& compute);

  // True when Serve() would answer `request` without computing, judged by the state last read
  // (no statement: the server asks this before it queues the request). A commit since that
  // read makes it wrong once per kept answer at most: the next Serve() reads the new state,
  // and from then on the answers kept under the old one are not held.
  bool HoldsCurrent(const HttpRequest& request) const;

  struct Stats {
    std::uint64_t hits = 0, misses = 0, not_modified = 0;
    std::size_t entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    NationalViewState state;
    HttpResponse response;  // its body in shared_body
    std::size_t bytes = 0;
  };

  NationalViewState CurrentState();
  void Keep(const std::string& key, const NationalViewState& state, HttpResponse response);

  StateReader read_state_;
  const Clock& clock_;
  NationalCacheOptions options_;

  mutable std::mutex mutex_;
  std::optional<NationalViewState> state_;
  std::int64_t state_read_ms_ = 0;  // the clock's time of that read
  std::chrono::steady_clock::time_point state_read_at_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  Stats stats_;
};

}  // namespace ess::hub
