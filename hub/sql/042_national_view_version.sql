-- The national view's version (docs/decisions/0013-search-and-caching.md): a counter per
-- region bumped in the same transaction as any change of what the public read routes answer
-- (the national tables, the region's checkpoints and keys, its registry row), whatever way
-- the rows are written. The hub's response cache and ETags are keyed on sum(version): it only
-- grows, and a reader sees a bump once the writing transaction commits, never before. One row
-- per region, so that regions replicating at once never wait on each other's counter; '*'
-- counts the changes of no single region (TRUNCATE).

CREATE TABLE national_view_version (
  region   text   PRIMARY KEY,
  version  bigint NOT NULL
);

CREATE FUNCTION national_view_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO national_view_version (region, version) VALUES ('*', 1)
      ON CONFLICT (region) DO UPDATE SET version = national_view_version.version + 1;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO national_view_version (region, version)
      SELECT DISTINCT region, 1 FROM new_rows ORDER BY region
      ON CONFLICT (region) DO UPDATE SET version = national_view_version.version + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO national_view_version (region, version)
      SELECT DISTINCT region, 1 FROM old_rows ORDER BY region
      ON CONFLICT (region) DO UPDATE SET version = national_view_version.version + 1;
  ELSE
    INSERT INTO national_view_version (region, version)
      SELECT region, 1 FROM (SELECT region FROM new_rows UNION SELECT region FROM old_rows) r
      ORDER BY region
      ON CONFLICT (region) DO UPDATE SET version = national_view_version.version + 1;
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['national_initiative', 'national_initiative_state', 'log_checkpoint',
                           'hub_region', 'hub_region_key'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION national_view_bump()',
                   t || '_version_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows '
                   'OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION national_view_bump()',
                   t || '_version_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION national_view_bump()',
                   t || '_version_delete', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION national_view_bump()',
                   t || '_version_truncate', t);
  END LOOP;
END
$$;

-- The next time the clock changes an answer (a record turning "to confirm" at valid_until,
-- leaving the map at hide_after) is the least of these past the hub's clock: the cache keys
-- on it (hub/store/national_view_version.h).
CREATE INDEX national_initiative_valid_until ON national_initiative (valid_until)
  WHERE valid_until IS NOT NULL;
CREATE INDEX national_initiative_hide_after ON national_initiative (hide_after)
  WHERE hide_after IS NOT NULL;
