-- A region's append-only log (docs/protocol.md): the entries as written, the payload and
-- salt beside each (NULL once erased), the perfect subtrees of its Merkle tree, its signed
-- checkpoints and its head. A node holds its own region; the hub holds every region's.

CREATE TABLE log_entry (
  region          text        NOT NULL,
  log_index       bigint      NOT NULL CHECK (log_index >= 0),
  entry           bytea       NOT NULL,
  leaf_hash       bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
  operation       text        NOT NULL,
  kind            text        NOT NULL,
  record_id       uuid        NOT NULL,
  record_version  integer     NOT NULL CHECK (record_version > 0),
  payload         bytea,
  salt            bytea       CHECK (salt IS NULL OR octet_length(salt) = 32),
  erased_at       timestamptz,
  stored_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region, log_index),
  CHECK ((payload IS NULL) = (salt IS NULL))
);
CREATE INDEX log_entry_by_record ON log_entry (region, record_id, record_version);

-- Hash of the perfect subtree covering leaves [node_index * 2^level, (node_index + 1) * 2^level).
CREATE TABLE merkle_node (
  region      text     NOT NULL,
  level       smallint NOT NULL CHECK (level BETWEEN 0 AND 63),
  node_index  bigint   NOT NULL CHECK (node_index >= 0),
  hash        bytea    NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (region, level, node_index)
);

CREATE TABLE log_checkpoint (
  region     text        NOT NULL,
  tree_size  bigint      NOT NULL CHECK (tree_size >= 0),
  root       bytea       NOT NULL CHECK (octet_length(root) = 32),
  note       text        NOT NULL,  -- the signed note, exactly as signed
  stored_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region, tree_size)
);

-- One row per region: where the log stands. compact_range is the concatenation of the
-- 32-byte hashes of the perfect subtrees covering [0, tree_size), largest first.
CREATE TABLE log_head (
  region         text   PRIMARY KEY,
  tree_size      bigint NOT NULL CHECK (tree_size >= 0),
  compact_range  bytea  NOT NULL,
  root           bytea  NOT NULL CHECK (octet_length(root) = 32)
);
