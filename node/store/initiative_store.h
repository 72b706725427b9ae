#pragma once
// Initiatives in PostgreSQL (node/sql/030_initiatives.sql), inside the caller's transaction:
// the initiative row, its edit proposal (040_edit_proposals.sql), its events, its private
// edit links, reports and endorsements, the outbox, and erasure. No rule is decided here; services decide, this stores.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/bytes.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/initiative.h"

namespace ess::node {

void PrepareInitiativeStatements(pqxx::connection& conn);

// The select list that InitiativeFromRow reads (columns 0..35), for other stores' queries.
extern const char* const kInitiativeColumns;
Initiative InitiativeFromRow(const pqxx::row& row);

struct InitiativeEvent {
  UnixSeconds at = 0;
  std::string action;  // "submitted", "edited", "confirmed", "reported"...
  std::string actor;   // "owner", "public", "import", "admin:<email>", "member:<id>"...
  std::string detail;
};

struct EditLinkLookup {
  std::string initiative_id;
  UnixSeconds expires_at = 0;
  bool revoked = false;
};

// A message queued for an owner, as stored: `body` never holds a private link in clear;
// where the link goes it says « lien privé masqué » (kMaskedLink) and `sealed_link` holds
// the link sealed (node/service/initiative_service.h, "Messages to owners").
struct OutboxMessage {
  std::int64_t id = 0;
  std::optional<std::string> initiative_id;
  std::string recipient, subject, body;
  UnixSeconds created_at = 0;
  std::optional<Bytes> sealed_link;  // nonce then ciphertext; nullopt for a message without link
  // What it is about: "registration", "reminder", "new_link", "edited_on_behalf",
  // "changes_requested", "member_invitation", "notice".
  std::string kind = "notice";
  // Delivery (migration 160; node/mail/outbox_delivery.h): "queued", "sent" or "failed";
  // attempts made; when a queued message is tried next (nullopt: at once); the relay's last
  // answer; when it was sent.
  std::string state = "queued";
  int attempts = 0;
  std::optional<UnixSeconds> next_attempt_at = std::nullopt;
  std::optional<std::string> last_error = std::nullopt;
  std::optional<UnixSeconds> sent_at = std::nullopt;
};

class InitiativeStore {
 public:
  explicit InitiativeStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // With lock = true the row stays locked (FOR UPDATE) until the transaction ends.
  std::optional<Initiative> Load(const std::string& id, bool lock);
  // Inserts or replaces the row. `search_text` is extra text to index (activity labels,
  // offer titles) besides the name, commune name and description.
  void Save(const Initiative& initiative, const std::string& search_text);
  void AddEvent(const std::string& id, const InitiativeEvent& event);
  std::vector<InitiativeEvent> Events(const std::string& id);

  // The initiative's edit proposal, if it has one.
  std::optional<EditProposal> LoadProposal(const std::string& id);
  // Inserts or replaces the initiative's proposal.
  void SaveProposal(const EditProposal& proposal);
  void SetProposalState(const std::string& id, ProposalState state);
  // True if there was one.
  bool DeleteProposal(const std::string& id);

  bool IsErased(const std::string& id);
  // Deletes the row and everything attached (cascade) and remembers the id as erased.
  void DeleteForErasure(const std::string& id, UnixSeconds at, const std::string& reason);

  void InsertEditLink(const Hash& token_hash, const std::string& id, UnixSeconds created_at,
                      UnixSeconds expires_at);
  std::optional<EditLinkLookup> FindEditLink(const Hash& token_hash);
  void RevokeEditLink(const Hash& token_hash, UnixSeconds at);
  // Revokes every live link of the initiative; returns how many.
  std::size_t RevokeEditLinks(const std::string& id, UnixSeconds at);

  // A report or an endorsement with its visitor mark: false (nothing stored) when the
  // initiative already has one with that mark. The counts below count rows, hence distinct
  // marks (a unique index; rows older than marks count one each).
  bool InsertReport(const std::string& id, const std::string& reason, const std::string& comment,
                    UnixSeconds at, const Hash& visitor_mark);
  int OpenReportCount(const std::string& id);
  void MarkReportsHandled(const std::string& id);
  bool InsertEndorsement(const std::string& id, const std::string& comment, UnixSeconds at,
                         const Hash& visitor_mark);
  int EndorsementCount(const std::string& id);

  // The node's random key `name` (node_secret), drawn and stored the first time it is asked
  // for; the same for every process of the node afterwards.
  Hash NodeSecret(const std::string& name);

  // Queues `message` with its kind (its id and delivery fields are ignored: queued, due at
  // once).
  void QueueMessage(const OutboxMessage& message);
  // A message without private link.
  void QueueMessage(const std::optional<std::string>& initiative_id, const std::string& recipient,
                    const std::string& subject, const std::string& body, UnixSeconds at) {
    QueueMessage(OutboxMessage{0, initiative_id, recipient, subject, body, at, std::nullopt});
  }
  // Newest first.
  std::vector<OutboxMessage> Outbox(std::size_t limit);

  void SetReminderSentFor(const std::string& id, UnixSeconds valid_until);
  // The valid_until the last reminder was sent for, if any (read it under the row's lock:
  // another node process may have sent it since the candidates were listed).
  std::optional<UnixSeconds> ReminderSentFor(const std::string& id);
  // Ids of initiatives in the workflow with a contact email whose reminder may be due at
  // `now` (valid_until - reminder_days <= now) and was not sent for this valid_until.
  std::vector<std::string> ReminderCandidates(UnixSeconds threshold, std::size_t limit);
  // Ids of initiatives still in the workflow adhering to a charter older than `version`.
  std::vector<std::string> OnOlderCharter(int version);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
