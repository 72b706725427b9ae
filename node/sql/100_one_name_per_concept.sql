-- One name per concept (docs/architecture.md, glossary): replication, not sync; an
-- initiative's record version, not its log version. Renames only: nothing is lost.

ALTER TABLE hub_sync_state RENAME TO hub_replication_state;

-- The journal's guard reads the renamed table: the same function under the new names.
CREATE FUNCTION hub_replication_refuse_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  why text;
BEGIN
  SELECT append_blocked_reason INTO why FROM hub_replication_state
   WHERE region = NEW.region AND append_blocked;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'ESHUB',
      MESSAGE = 'journal bloqué : ' || coalesce(why, 'le hub détient un autre état du journal'),
      HINT = 'voir docs/replication.md, « Nœud restauré depuis une ancienne sauvegarde »';
  END IF;
  RETURN NEW;
END
$$;
DROP TRIGGER log_entry_hub_sync_guard ON log_entry;
DROP FUNCTION hub_sync_refuse_append();
CREATE TRIGGER log_entry_hub_replication_guard BEFORE INSERT ON log_entry
  FOR EACH ROW EXECUTE FUNCTION hub_replication_refuse_append();

ALTER TABLE initiative RENAME COLUMN log_version TO record_version;
