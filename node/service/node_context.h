#pragma once
// What every service of the node works with: the database pool, the journal writer, the
// referential, the clock, the node's settings, the region's rules in force and the signal
// of journalled commits. All are owned by main (or a test) and outlive the services.

#include <memory>

#include "core/clock.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "node/domain/failure.h"
#include "node/domain/referential_holder.h"
#include "node/domain/region_rules_holder.h"
#include "node/node_settings.h"
#include "node/service/journal_commits.h"
#include "node/service/journal_committer.h"
#include "node/store/database_fault.h"

namespace ess::node {

// kUnavailable `journal_blocked`: the uploader blocked the journal because the hub holds a
// longer or other history than this node's (a node restored from an old backup).
inline Failure AppendBlocked() {
  return Failure::Of(
      FailureKind::kUnavailable, "journal_blocked",
      "Le journal de la région est bloqué : le hub détient un historique plus long ou "
      "différent (nœud restauré d'une ancienne sauvegarde ?). Un administrateur doit le "
      "résoudre, voir docs/replication.md.");
}

// kUnavailable `storage_full`: PostgreSQL refused the write because its disk is full
// (SQLSTATE 53100, disk_full); nothing was committed, writes work again once space returns.
inline Failure StorageFull() {
  return Failure::Of(
      FailureKind::kUnavailable, "storage_full",
      "L'espace disque de la base de données du nœud est plein : rien n'a été "
      "enregistré. Réessayez plus tard ; un administrateur doit libérer de la place.");
}

// kUnavailable `database_unavailable`: the database cannot be reached (restarting, crashed);
// answered by NodeApi to any request that met it.
inline Failure DatabaseUnavailable() {
  return Failure::Of(FailureKind::kUnavailable, "database_unavailable",
                     "La base de données du nœud est momentanément injoignable : rien n'a été "
                     "enregistré. Réessayez dans un instant.");
}

// kUnavailable `outcome_unknown`: the connection broke while the transaction committed
// (pqxx::in_doubt_error); the write may or may not have been recorded, whole either way.
inline Failure OutcomeUnknown() {
  return Failure::Of(FailureKind::kUnavailable, "outcome_unknown",
                     "La connexion à la base de données du nœud a été coupée pendant "
                     "l'enregistrement : il a pu aboutir ou non. Vérifiez avant de recommencer.");
}

struct NodeContext {
  PgPool& pool;
  const RegionLogWriter& log_writer;
  const ReferentialHolder& referential;
  const Clock& clock;
  const NodeSettings& settings;
  // The rules the admin may change at run time (region_rules_service.h: read them with
  // CurrentRules() inside a transaction, which also picks up another instance's change).
  RegionRulesHolder& rules;
  // Notified after each commit of RunJournalling (main wakes the uploader); may be null.
  const JournalCommitSignal* journal_commits = nullptr;
  // Gathers concurrent RunJournalling calls into groups committed together.
  std::shared_ptr<JournalCommitter> committer = std::make_shared<JournalCommitter>();

  // Every transaction that journals runs here: `work(txn)` returns a Result<T> inside a
  // transaction of `pool`, which it may share with other concurrent calls' works
  // (journal_committer.h: group commit, each work in its own savepoint; what a work threw
  // undoes only that work, a failed commit fails the whole group). Once it committed with a
  // value, journal_commits is notified. The journal's refusal while appends are blocked comes
  // back as AppendBlocked(), a full disk as StorageFull() (nothing of that work committed
  // either way); other exceptions propagate (pqxx::in_doubt_error: the outcome is unknown).
  template <typename Work>
  auto RunJournalling(Work&& work) const -> decltype(pool.WithTransaction(work)) {
    try {
      auto result = committer->Run(pool, log_writer, std::forward<Work>(work));
      if (result.ok() && journal_commits) journal_commits->Notify();
      return result;
    } catch (const std::exception& e) {
      auto fault = DatabaseFaultOf(e);
      if (fault == DatabaseFault::kStorageFull) return StorageFull();
      if (fault == DatabaseFault::kAppendBlocked) return AppendBlocked();
      throw;
    }
  }
};

// The failure a client is answered for a database fault (database_fault.h).
inline Failure FailureOf(DatabaseFault fault) {
  switch (fault) {
    case DatabaseFault::kAppendBlocked: return AppendBlocked();
    case DatabaseFault::kStorageFull: return StorageFull();
    case DatabaseFault::kOutcomeUnknown: return OutcomeUnknown();
    case DatabaseFault::kUnavailable: break;
  }
  return DatabaseUnavailable();
}

}  // namespace ess::node
