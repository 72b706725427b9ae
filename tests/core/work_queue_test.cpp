// core's one thread pool (core/work_queue.h): the node's import jobs and the hub's gRPC
// reactors use it. No sleeps: tasks signal, the test waits with a bound.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/work_queue.h"

using namespace ess;
using namespace std::chrono_literals;

TEST_CASE("work queue: tasks run in order of posting on one thread") {
  std::vector<int> ran;
  {
    WorkQueue queue(1);
    for (int i = 0; i < 100; ++i) CHECK(queue.Post([&ran, i] { ran.push_back(i); }));
  }  // destruction runs what waits
  REQUIRE(ran.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(ran[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("work queue: Stop() runs what is queued, then later posts are dropped") {
  std::atomic<int> count = 0;
  WorkQueue queue(3);
  for (int i = 0; i < 50; ++i) queue.Post([&] { ++count; });
  queue.Stop();
  CHECK(count == 50);
  CHECK_FALSE(queue.Post([&] { ++count; }));
  CHECK_FALSE(queue.TryPost([&](std::stop_token) { ++count; }));
  queue.Stop();  // idempotent
  CHECK(count == 50);
}

TEST_CASE("work queue: a task that throws is dropped, the next ones still run") {
  std::atomic<int> count = 0;
  {
    WorkQueue queue(1);
    queue.Post([] { throw std::runtime_error("boom"); });
    queue.Post([&] { ++count; });
  }
  CHECK(count == 1);
}

TEST_CASE(
    "work queue: a bound on waiting tasks; stopping runs the waiting ones with the stop "
    "requested") {
  std::mutex mutex;
  std::condition_variable changed;
  bool first_running = false;
  std::optional<bool> second_saw_stop;
  {
    WorkQueue queue(1, 1);
    REQUIRE(queue.TryPost([&](std::stop_token stop) {
      std::unique_lock lock(mutex);
      first_running = true;
      changed.notify_all();
      std::stop_callback wake(stop, [&] { changed.notify_all(); });
      changed.wait_for(lock, 30s, [&] { return stop.stop_requested(); });
    }));
    {
      std::unique_lock lock(mutex);
      REQUIRE(changed.wait_for(lock, 30s, [&] { return first_running; }));
    }
    REQUIRE(queue.TryPost([&](std::stop_token stop) {
      std::lock_guard lock(mutex);
      second_saw_stop = stop.stop_requested();
    }));
    CHECK_FALSE(queue.TryPost([](std::stop_token) {}));  // one may wait, not two
  }
  REQUIRE(second_saw_stop.has_value());
  CHECK(*second_saw_stop);
}
