-- Committee members are invited by a link sent through the outbox, and choose their own
-- password from it (node/service/invitation_service.h). An invited account has no usable
-- password until then: its password_hash is empty (no Argon2id string verifies against it).
-- Only the SHA-256 of an invitation's token is stored; the link itself goes sealed in the
-- outbox (node/service/sealed_link.h). An invitation is spent once used, and revoked when
-- the admin invites the member again.

CREATE TABLE member_invitation (
  token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  account_id  uuid        NOT NULL REFERENCES account ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX member_invitation_by_account ON member_invitation (account_id);
