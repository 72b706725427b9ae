#pragma once
// Keeps the node's copy of the common referential up to date from the hub
// (ReferentialService.GetReferential, node/replication/referential_client.h): at start the
// cache file, if any (so a node starts while the hub is away), then a fetch at once and every
// `refresh`, in a thread of its own. Each new version goes to `on_referential` and to the
// cache file. A hub that cannot be asked is asked again after `retry` (at most `refresh`); a
// document that does not parse is logged and waits for the next period.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/referential.h"
#include "proto/federation.grpc.pb.h"

namespace ess::node {

struct ReferentialRefresherOptions {
  std::chrono::milliseconds refresh{0};  // 0 = never ask the hub (the cache is still read)
  std::chrono::milliseconds retry{30'000};
  std::chrono::milliseconds fetch_deadline{60'000};
  std::string cache_file;  // empty = no cache
  // The version the node already holds (its --referential file), sent as known: the hub then
  // answers "unchanged" when it serves the same one, and the document is neither sent nor
  // parsed a second time (a few tens of MB at start, docs/benchmarks.md, "Memory").
  std::string known_version;
  // Required: without it nothing is read or fetched.
  std::function<void(std::shared_ptr<const Referential>)> on_referential;
};

class ReferentialRefresher {
 public:
  // `stub` and `clock` must outlive the refresher.
  ReferentialRefresher(ReferentialRefresherOptions options,
                       federation::v1::ReferentialService::StubInterface& stub, const Clock& clock);
  ~ReferentialRefresher();  // Stop()s
  ReferentialRefresher(const ReferentialRefresher&) = delete;
  ReferentialRefresher& operator=(const ReferentialRefresher&) = delete;

  // Loads the cache file (in the caller's thread), then starts the thread that fetches.
  void Start();
  // Joins the thread (a fetch in progress ends by its deadline). Idempotent.
  void Stop();

  // The steps of the thread, callable without it (tests). Both never throw.
  void LoadCache();
  // Fetches if the clock says a fetch is due (the first call always fetches).
  void RefreshIfDue();
  // The version handed to on_referential last, known_version before any.
  std::string version() const;

 private:
  void Run();
  void WriteCache(const Referential& referential) const;

  ReferentialRefresherOptions options_;
  federation::v1::ReferentialService::StubInterface& stub_;
  const Clock& clock_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::string version_;
  std::optional<std::chrono::steady_clock::time_point> next_due_;
  bool told_unchanged_ = false;
};

}  // namespace ess::node
