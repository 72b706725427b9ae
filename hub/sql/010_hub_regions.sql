-- The hub's registry of regions (docs/replication.md): which regions may replicate, the keys
-- each has signed with (validity as a range of log indexes, never a time), and whether the
-- region is syncing or stopped on a fork until an admin acts.

CREATE TABLE hub_region (
  region         text        PRIMARY KEY CHECK (region ~ '^[0-9]{2,3}$'),
  name           text        NOT NULL,
  status         text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'forked')),
  status_reason  text,
  enrolled_at    timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

-- One row per key a region signs (or signed) with. A checkpoint of size n is accepted from a
-- key whose range [valid_from_index, valid_until_index) holds n - 1 and that is not revoked.
CREATE TABLE hub_region_key (
  region             text        NOT NULL REFERENCES hub_region ON DELETE CASCADE,
  key_id             bigint      NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
  verifier_key       text        NOT NULL,  -- signed-note verifier key string
  fingerprint        text        NOT NULL,
  valid_from_index   bigint      NOT NULL CHECK (valid_from_index >= 0),
  valid_until_index  bigint      CHECK (valid_until_index IS NULL OR valid_until_index > valid_from_index),
  added_by           text        NOT NULL CHECK (added_by IN ('admin', 'rotation')),
  rotation_index     bigint,     -- the key_rotation entry that introduced it
  added_at           timestamptz NOT NULL,
  revoked_at         timestamptz,
  revoked_reason     text,
  PRIMARY KEY (region, key_id)
);
