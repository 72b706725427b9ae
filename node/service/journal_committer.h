#pragma once
// Group commit of the node's journalling transactions (decision 0015).
//
// Every journalling transaction locks the region's log head and keeps it through its commit,
// so one at a time could journal. Run() gathers the submissions that arrive while a group is
// committing into the next group, and one caller (the leader) runs that group in ONE
// transaction on one connection: each submission's work inside its own savepoint, in arrival
// order; all their entries under the one head lock; one checkpoint signed for the whole group
// (RegionLogWriter::CheckpointGroup); one commit. Then every caller gets its own outcome:
// - its work returned a value (ok or a refusal): the value, its writes committed with the
//   group's (as a refusal's writes were committed before group commit);
// - its work threw: its savepoint is rolled back (nothing of it stays, the journal stays
//   dense), the others go on, and the caller gets that exception;
// - the group's commit failed (or the connection broke twice): nothing of the group is
//   committed and every caller of it gets the same exception (pqxx::in_doubt_error when
//   the outcome is unknown).
// A change and its journal entries still commit together: they are in one transaction.
// A broken connection before the commit retries the whole group once on a fresh connection
// (PgPool::WithTransaction), running each work again.
//
// Works run on the leader's thread, one after the other. Once a group's works are done, the
// next group may start its works while the first commits (its appends then wait for the head
// lock until that commit). A work must not call Run() itself (it would wait for its own
// group). Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <utility>

#include <pqxx/pqxx>

#include "core/pg_pool.h"
#include "core/region_log_writer.h"

namespace ess::node {

class JournalCommitter {
 public:
  // At most this many submissions in one group (the rest wait for the next).
  static constexpr std::size_t kMaxGroup = 128;

  // Runs `work(txn)`, which returns a Result<T> (anything with ok()), in the next group of
  // `pool`'s transactions journalling through `writer`, and returns its result or rethrows
  // what its work or its group's commit threw (see above). Blocks until its group ended.
  template <typename Work>
  auto Run(PgPool& pool, const RegionLogWriter& writer, Work&& work) {
    using Outcome = decltype(work(std::declval<pqxx::work&>()));
    std::optional<Outcome> outcome;
    Submission submission;
    submission.run = [&](pqxx::work& txn) {
      outcome.reset();
      outcome.emplace(work(txn));
    };
    Submit(pool, writer, submission);
    if (submission.error) std::rethrow_exception(submission.error);
    return std::move(*outcome);
  }

  // How many groups have committed (or failed) since construction, and how many submissions
  // wait for the next group now; for tests.
  std::size_t groups() const;
  std::size_t waiting() const;

 private:
  struct Submission {
    std::function<void(pqxx::work&)> run;
    std::exception_ptr error;
    bool done = false;
  };

  // Queues `submission` and returns once its group ended (leading a group if none is).
  void Submit(PgPool& pool, const RegionLogWriter& writer, Submission& submission);
  // Runs one group in one transaction, calling `works_done` between its last work and its
  // commit; never throws (failures go to each submission).
  static void RunGroup(PgPool& pool, const RegionLogWriter& writer,
                       std::span<Submission* const> group, const std::function<void()>& works_done);

  mutable std::mutex mutex_;
  std::condition_variable group_ended_;
  std::deque<Submission*> waiting_;
  bool leading_ = false;
  std::size_t groups_ = 0;
};

}  // namespace ess::node
