#include "node/replication/referential_refresher.h"

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "node/replication/referential_client.h"

namespace ess::node {

ReferentialRefresher::ReferentialRefresher(ReferentialRefresherOptions options,
                                           federation::v1::ReferentialService::StubInterface& stub,
                                           const Clock& clock)
    : options_(std::move(options)), stub_(stub), clock_(clock), version_(options_.known_version) {}

ReferentialRefresher::~ReferentialRefresher() { Stop(); }

void ReferentialRefresher::Start() {
  LoadCache();
  if (options_.refresh.count() <= 0 || !options_.on_referential) return;
  thread_ = std::thread([this] { Run(); });
}

void ReferentialRefresher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string ReferentialRefresher::version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

void ReferentialRefresher::LoadCache() {
  if (options_.cache_file.empty() || !options_.on_referential) return;
  std::error_code ec;
  if (!std::filesystem::exists(options_.cache_file, ec)) return;  // none written yet
  try {
    auto ref = std::make_shared<const Referential>(Referential::FromFile(options_.cache_file));
    {
      std::lock_guard lock(mutex_);
      version_ = ref->version();
    }
    options_.on_referential(std::move(ref));
  } catch (const std::exception& e) {
    spdlog::warn("référentiel en cache illisible ({}) : {}", options_.cache_file, e.what());
  }
}

void ReferentialRefresher::RefreshIfDue() {
  if (options_.refresh.count() <= 0 || !options_.on_referential) return;
  const auto now = clock_.SteadyNow();
  if (next_due_ && now < *next_due_) return;
  ReferentialFetch fetch = FetchReferential(stub_, version(), options_.fetch_deadline);
  if (!fetch.status.ok()) {
    next_due_ = now + std::min(options_.refresh, options_.retry);
    spdlog::debug("référentiel : hub injoignable ({})", fetch.status.error_message());
    return;
  }
  next_due_ = now + options_.refresh;
  if (!fetch.error.empty()) {
    spdlog::error("référentiel reçu du hub illisible : {}", fetch.error);
    return;
  }
  if (fetch.unchanged) {
    // Once, at the first answer: the node and the hub agree (later ones would be noise).
    if (!told_unchanged_) spdlog::info("référentiel {} : le hub sert le même", version());
    told_unchanged_ = true;
    return;
  }
  if (!fetch.referential) return;
  spdlog::info("référentiel {} reçu du hub", fetch.referential->version());
  {
    std::lock_guard lock(mutex_);
    version_ = fetch.referential->version();
  }
  WriteCache(*fetch.referential);
  try {
    options_.on_referential(fetch.referential);
  } catch (const std::exception& e) {
    spdlog::error("référentiel {} non appliqué : {}", fetch.referential->version(), e.what());
  }
}

void ReferentialRefresher::WriteCache(const Referential& referential) const {
  if (options_.cache_file.empty()) return;
  const std::string tmp = options_.cache_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << referential.json();
  }
  std::error_code ec;
  std::filesystem::rename(tmp, options_.cache_file, ec);
  if (ec) spdlog::warn("référentiel : cache non écrit ({})", ec.message());
}

void ReferentialRefresher::Run() {
  for (;;) {
    RefreshIfDue();
    std::unique_lock lock(mutex_);
    // Real time waits; the clock decides (RefreshIfDue), so a wait that ends early only
    // loops once more.
    const auto until_due = next_due_ ? *next_due_ - clock_.SteadyNow() : options_.retry;
    const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until_due),
                                 std::chrono::milliseconds(1), options_.refresh);
    if (stop_.wait_for(lock, wait, [&] { return stopping_; })) return;
  }
}

}  // namespace ess::node
