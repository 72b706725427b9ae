-- Wakes the uploader when a transaction journals (issue 12, decision 0015): every statement
-- that inserts into log_entry queues a notification on the channel ess_journal, payload the
-- region, which PostgreSQL delivers when (and only if) the transaction commits, once per
-- transaction and region. Any process writing the journal (this node, a second node process
-- on the same database, essctl) thereby wakes the uploader that LISTENs
-- (node/replication/journal_listener.h); its poll stays as the fallback.

CREATE FUNCTION log_entry_notify_journal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  FOR r IN SELECT DISTINCT region FROM appended LOOP
    PERFORM pg_notify('ess_journal', r);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER log_entry_notify_journal AFTER INSERT ON log_entry
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION log_entry_notify_journal();
