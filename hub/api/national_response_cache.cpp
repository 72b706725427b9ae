#include "hub/api/national_response_cache.h"

#include <cstdio>
#include <memory>

#include "http/cached_document.h"

namespace ess::hub {

namespace {

// The path and every query parameter, in the order the multimap holds them (by name, then as
// received), each length-prefixed so that no value can pass for another.
std::string KeyOf(const HttpRequest& request) {
  std::string key = request.path;
  key += '?';
  for (const auto& [name, value] : request.query) {
    key += std::to_string(name.size()) + ':' + name + std::to_string(value.size()) + ':' + value;
  }
  return key;
}

std::string EtagOf(const NationalViewState& state, const std::string& key) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "W/\"nv%lld-%lld-%016zx\"", static_cast<long long>(state.version),
                static_cast<long long>(state.next_change_ms.value_or(0)),
                std::hash<std::string>{}(key));
  return buf;
}

void AddCachingHeaders(HttpResponse& res, const std::string& etag) {
  res.headers.emplace_back("ETag", etag);
  res.headers.emplace_back("Cache-Control", "public, no-cache");
}

}  // namespace

NationalResponseCache::NationalResponseCache(StateReader read_state, const Clock& clock,
                                             NationalCacheOptions options)
    : read_state_(std::move(read_state)), clock_(clock), options_(options) {}

NationalViewState NationalResponseCache::CurrentState() {
  const std::int64_t now = clock_.NowMillis();
  const auto steady = clock_.SteadyNow();
  {
    std::lock_guard lock(mutex_);
    // A state holds until its next change on the clock (and only for a clock going forward).
    if (state_ && options_.state_check.count() > 0 &&
        steady - state_read_at_ < options_.state_check && now >= state_read_ms_ &&
        (!state_->next_change_ms || now < *state_->next_change_ms)) {
      return *state_;
    }
  }
  NationalViewState read = read_state_(now);
  std::lock_guard lock(mutex_);
  state_ = read;
  state_read_ms_ = now;
  state_read_at_ = steady;
  return read;
}

bool NationalResponseCache::HoldsCurrent(const HttpRequest& request) const {
  const std::string key = KeyOf(request);
  const std::int64_t now = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  if (!state_ || now < state_read_ms_ ||
      (state_->next_change_ms && now >= *state_->next_change_ms)) {
    return false;
  }
  if (auto held = request.Header("if-none-match");
      held && EtagMatches(*held, EtagOf(*state_, key))) {
    return true;
  }
  if (!options_.enabled) return false;
  auto found = index_.find(key);
  return found != index_.end() && found->second->state == *state_;
}

HttpResponse NationalResponseCache::Serve(const HttpRequest& request,
                                          const std::function<HttpResponse()>& compute) {
  const std::string key = KeyOf(request);
  const NationalViewState state = CurrentState();
  const std::string etag = EtagOf(state, key);
  if (auto held = request.Header("if-none-match"); held && EtagMatches(*held, etag)) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.not_modified;
    }
    HttpResponse res = HttpResponse::Json(304, "");
    AddCachingHeaders(res, etag);
    return res;
  }
  if (options_.enabled) {
    std::lock_guard lock(mutex_);
    auto found = index_.find(key);
    if (found != index_.end() && found->second->state == state) {
      lru_.splice(lru_.begin(), lru_, found->second);
      ++stats_.hits;
      return found->second->response;
    }
    ++stats_.misses;
  }
  HttpResponse res = compute();
  if (res.status != 200) return res;
  AddCachingHeaders(res, etag);
  if (options_.enabled) {
    if (!res.shared_body) {
      res.shared_body = std::make_shared<const std::string>(std::move(res.body));
      res.body.clear();
    }
    Keep(key, state, res);
  }
  return res;
}

void NationalResponseCache::Keep(const std::string& key, const NationalViewState& state,
                                 HttpResponse response) {
  const std::size_t bytes = key.size() + response.BodyText().size();
  if (bytes > options_.max_entry_bytes || bytes > options_.max_bytes) return;
  std::lock_guard lock(mutex_);
  if (auto old = index_.find(key); old != index_.end()) {
    bytes_ -= old->second->bytes;
    lru_.erase(old->second);
    index_.erase(old);
  }
  lru_.push_front(Entry{key, state, std::move(response), bytes});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  while (!lru_.empty() && (lru_.size() > options_.max_entries || bytes_ > options_.max_bytes)) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

NationalResponseCache::Stats NationalResponseCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats out = stats_;
  out.entries = lru_.size();
  out.bytes = bytes_;
  return out;
}

}  // namespace ess::hub
