-- Mail that is really sent (issue 15, point 6): each queued message has a kind, a delivery
-- state and the relay's last answer. The node's delivery loop (node/mail/outbox_delivery.h)
-- takes messages `queued` with next_attempt_at due (FOR UPDATE SKIP LOCKED: two node
-- processes on one database never take the same one), and marks each `sent` (sent_at) or,
-- after a temporary failure, sets the next attempt later (backoff); a permanent refusal or
-- too many attempts mark it `failed` with the relay's answer in last_error.
ALTER TABLE outbox
  ADD COLUMN kind text NOT NULL DEFAULT 'notice'
    CHECK (kind IN ('registration', 'reminder', 'new_link', 'edited_on_behalf',
                    'changes_requested', 'member_invitation', 'notice')),
  ADD COLUMN state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  ADD COLUMN attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN last_error text;

-- Messages queued before this migration were never sent: they stay queued, due at once.
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;

CREATE INDEX outbox_due ON outbox (next_attempt_at, message_id) WHERE state = 'queued';
CREATE INDEX outbox_by_initiative ON outbox (initiative_id);
