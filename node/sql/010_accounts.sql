-- Accounts of the node's staff (admins and committee members) and their cookie sessions.
-- Passwords are Argon2id strings (libsodium crypto_pwhash_str); session tokens are stored
-- as their SHA-256 only.

CREATE TABLE account (
  account_id     uuid        PRIMARY KEY,
  email          text        NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name   text        NOT NULL,
  password_hash  text        NOT NULL,
  role           text        NOT NULL CHECK (role IN ('admin', 'committee')),
  active         boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL
);

CREATE TABLE account_session (
  token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  account_id  uuid        NOT NULL REFERENCES account ON DELETE CASCADE,
  csrf_token  text        NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX account_session_by_expiry ON account_session (expires_at);
