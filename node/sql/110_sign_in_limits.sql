-- Sign-in limits shared by every node process (node/service/account_service.h, "Sign-in
-- limits"): each attempt is one row, kept a few hours only (the service purges older rows
-- at each attempt, so the table stays bounded by the attempt rate). The email is stored as
-- its SHA-256 (lower-cased): an attempt for an unknown address is counted like any other
-- and the table holds no address in clear.
CREATE TABLE sign_in_attempt (
  attempt_id      bigserial   PRIMARY KEY,
  attempted_at    timestamptz NOT NULL,
  client_address  text        NOT NULL,
  email_hash      bytea       NOT NULL CHECK (octet_length(email_hash) = 32),
  -- Whose failures these are for the per-pair limit: the client address, or 'device:' and
  -- the start of the known-device token's hash when the browser presented one.
  source          text        NOT NULL,
  failed          boolean     NOT NULL DEFAULT false
);
CREATE INDEX sign_in_attempt_by_address ON sign_in_attempt (client_address, attempted_at);
CREATE INDEX sign_in_attempt_failures ON sign_in_attempt (email_hash, attempted_at) WHERE failed;
CREATE INDEX sign_in_attempt_by_time ON sign_in_attempt (attempted_at);

-- Browsers that signed in successfully to an account (the long-lived `ess_device` cookie):
-- one token per browser, stored as its SHA-256 once per account it signed in to. From such
-- a browser the correct password is admitted even while the account is locked for others.
CREATE TABLE known_device (
  account_id    uuid        NOT NULL REFERENCES account ON DELETE CASCADE,
  token_hash    bytea       NOT NULL CHECK (octet_length(token_hash) = 32),
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, token_hash)
);
CREATE INDEX known_device_by_use ON known_device (last_used_at);
