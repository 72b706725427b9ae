-- The national pilot's accounts at the hub (docs/decisions/0010-hub-pilot-accounts.md): the
-- same security as the node's staff (Argon2id hashes, sessions stored as the SHA-256 of their
-- token, sign-in limits counted here) and the pilot's own metadata, the marks on duplicate
-- pairs. Nothing here touches a region's data: the national view stays what the regions'
-- signed logs say.

CREATE TABLE pilot_account (
  account_id     uuid        PRIMARY KEY,
  email          text        NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name   text        NOT NULL,
  password_hash  text        NOT NULL,
  role           text        NOT NULL DEFAULT 'pilot' CHECK (role IN ('pilot')),
  active         boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL
);

CREATE TABLE pilot_session (
  token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  account_id  uuid        NOT NULL REFERENCES pilot_account ON DELETE CASCADE,
  csrf_token  text        NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX pilot_session_by_expiry ON pilot_session (expires_at);

-- Sign-in attempts, as on the node (node/sql/110): per address, per (address, account) and
-- per account; rows older than the longest window are purged at each sign-in.
CREATE TABLE pilot_sign_in_attempt (
  attempt_id      bigserial   PRIMARY KEY,
  attempted_at    timestamptz NOT NULL,
  client_address  text        NOT NULL,
  email_hash      bytea       NOT NULL CHECK (octet_length(email_hash) = 32),
  failed          boolean     NOT NULL DEFAULT false
);
CREATE INDEX pilot_sign_in_attempt_by_address ON pilot_sign_in_attempt (client_address, attempted_at);
CREATE INDEX pilot_sign_in_attempt_failures ON pilot_sign_in_attempt (email_hash, attempted_at) WHERE failed;

-- A pilot's verdict on a likely duplicate pair (GET /api/duplicates): two records of two
-- regions, in the pair's order (first_region < second_region). No foreign key to the
-- national view: a mark outlives a record that leaves the map and comes back.
CREATE TABLE duplicate_mark (
  first_region   text        NOT NULL,
  first_id       uuid        NOT NULL,
  second_region  text        NOT NULL,
  second_id      uuid        NOT NULL,
  mark           text        NOT NULL CHECK (mark IN ('distinct', 'same_structure')),
  note           text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
  marked_by      uuid        NOT NULL REFERENCES pilot_account,
  marked_at      timestamptz NOT NULL,
  PRIMARY KEY (first_region, first_id, second_region, second_id),
  CHECK (first_region < second_region)
);
