#include "node/service/journal_committer.h"

#include <utility>
#include <vector>

namespace ess::node {

std::size_t JournalCommitter::groups() const {
  std::lock_guard lock(mutex_);
  return groups_;
}

std::size_t JournalCommitter::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

void JournalCommitter::Submit(PgPool& pool, const RegionLogWriter& writer, Submission& submission) {
  std::unique_lock lock(mutex_);
  waiting_.push_back(&submission);
  while (!submission.done) {
    // Another group is running its works, or ours is committing: wait for either to end.
    if (leading_ || waiting_.empty()) {
      group_ended_.wait(lock);
      continue;
    }
    // Lead the next group: everything waiting now, in arrival order (ours is among them
    // unless more than kMaxGroup came first: then we lead again after).
    leading_ = true;
    std::vector<Submission*> group;
    while (!waiting_.empty() && group.size() < kMaxGroup) {
      group.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    // Once our works are done the next group may run its works while ours commits: its
    // appends wait for our head lock, what comes before them need not.
    bool released = false;
    auto release_lead = [&] {
      if (std::exchange(released, true)) return;
      std::lock_guard relead(mutex_);
      leading_ = false;
      group_ended_.notify_all();
    };
    RunGroup(pool, writer, group, release_lead);
    release_lead();
    lock.lock();
    for (Submission* s : group) s->done = true;
    ++groups_;
    group_ended_.notify_all();
  }
}

void JournalCommitter::RunGroup(PgPool& pool, const RegionLogWriter& writer,
                                std::span<Submission* const> group,
                                const std::function<void()>& works_done) {
  try {
    pool.WithTransaction([&](pqxx::work& txn) {
      RegionLogWriter::CheckpointGroup checkpoint(writer);
      for (Submission* s : group) {
        s->error = nullptr;
        txn.exec0("SAVEPOINT journal_submission");
        try {
          s->run(txn);
        } catch (const pqxx::broken_connection&) {
          throw;  // the whole group: retried on a fresh connection, or failed
        } catch (...) {
          s->error = std::current_exception();
          txn.exec0("ROLLBACK TO SAVEPOINT journal_submission");
        }
        txn.exec0("RELEASE SAVEPOINT journal_submission");
      }
      checkpoint.Sign(txn);
      works_done();
    });
  } catch (...) {
    for (Submission* s : group) s->error = std::current_exception();
  }
}

}  // namespace ess::node
