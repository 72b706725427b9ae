-- Replication to the national hub (node/replication/, docs/replication.md): what the node
-- knows of the hub's copy of its log, the hub's receipts (its cosigned checkpoints), and the
-- append block set when the hub holds more than this node (a node restored from an old
-- backup) or another history: the journal refuses to write until an admin resolves it.

CREATE TABLE hub_sync_state (
  region                 text        PRIMARY KEY,
  hub_tree_size          bigint,       -- the hub's copy, as it last said
  hub_root               bytea,
  hub_region_status      text,
  last_contact_at        timestamptz,
  last_receipt_size      bigint,
  last_error             text,
  last_error_at          timestamptz,
  append_blocked         boolean     NOT NULL DEFAULT false,
  append_blocked_reason  text,
  append_blocked_at      timestamptz,
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- One receipt per batch the hub accepted: the region's checkpoint with the hub's cosignature.
CREATE TABLE hub_receipt (
  tree_size           bigint      PRIMARY KEY,
  cosigned_checkpoint text        NOT NULL,
  received_at         timestamptz NOT NULL DEFAULT now()
);

-- The journal's guard: no new entry while the hub is ahead of this node or holds another
-- history. SQLSTATE ESHUB lets the node's code recognise the refusal.
CREATE FUNCTION hub_sync_refuse_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  why text;
BEGIN
  SELECT append_blocked_reason INTO why FROM hub_sync_state
   WHERE region = NEW.region AND append_blocked;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'ESHUB',
      MESSAGE = 'journal bloqué : ' || coalesce(why, 'le hub détient un autre état du journal'),
      HINT = 'voir docs/replication.md, « Nœud restauré depuis une ancienne sauvegarde »';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER log_entry_hub_sync_guard BEFORE INSERT ON log_entry
  FOR EACH ROW EXECUTE FUNCTION hub_sync_refuse_append();
