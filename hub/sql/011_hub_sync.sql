-- How each region's replication goes: last contact, what the node reported, counters, and
-- every refused batch with its reason. A refused batch quarantines its first invalid entry
-- (as received); a fork keeps both sides as evidence.

CREATE TABLE hub_region_sync (
  region            text        PRIMARY KEY REFERENCES hub_region ON DELETE CASCADE,
  last_contact_at   timestamptz,
  last_accepted_at  timestamptz,
  node_tree_size    bigint,       -- the node's log size as it last reported it
  caught_up_at      timestamptz,  -- last time the hub held everything the node reported
  accepted_batches  bigint      NOT NULL DEFAULT 0,
  accepted_entries  bigint      NOT NULL DEFAULT 0,
  rejected_count    bigint      NOT NULL DEFAULT 0,
  last_peer         text
);

CREATE TABLE hub_sync_rejection (
  id                    bigserial   PRIMARY KEY,
  region                text        NOT NULL REFERENCES hub_region ON DELETE CASCADE,
  rejected_at           timestamptz NOT NULL,
  code                  text        NOT NULL,  -- a verdict name, or a stream refusal
  reason                text        NOT NULL,  -- for people, in French
  log_index             bigint,
  record_id             uuid,       -- of the quarantined entry, for erasure
  entry                 bytea,      -- the first invalid entry, quarantined as received
  payload               bytea,
  salt                  bytea,
  checkpoint_note       text,       -- the batch's checkpoint, as received
  held_checkpoint_note  text,       -- fork evidence: the hub's checkpoint
  held_entry            bytea,      -- fork evidence: the entry the hub held at log_index
  peer                  text
);
CREATE INDEX hub_sync_rejection_by_region ON hub_sync_rejection (region, id DESC);
CREATE INDEX hub_sync_rejection_by_record ON hub_sync_rejection (region, record_id)
  WHERE record_id IS NOT NULL;
