-- The national view's aggregates (docs/decisions/0012-national-aggregates.md): the map's
-- cluster grid per zoom and the dashboard's counters, kept in step with national_initiative
-- and national_initiative_state by statement-level triggers, in the transaction that writes
-- the rows (whatever way it writes them: INSERT ... ON CONFLICT, DELETE, COPY + INSERT ...
-- SELECT). hub/store/national_aggregates.cpp reads them; hub/store/national_queries.cpp falls
-- back on the tables for the filters they do not hold.
--
-- Time: a record leaves the map at hide_after and turns "to confirm" at valid_until, on the
-- hub's clock (core/freshness.h), which the database does not know. The aggregates count the
-- records as they stand at one instant, national_aggregate_state.swept_at (-infinity at
-- first). They answer exactly for any `now` such that no hide_after or valid_until lies
-- between now and swept_at (two probes of the indexes of 042); otherwise a reader whose now
-- is later sweeps: national_aggregates_sweep(now) moves the records whose instant passed
-- since and sets swept_at = now. Writers hold the aggregates' advisory lock shared, a sweep
-- holds it alone, so no row is counted at one instant and removed at another.

CREATE TABLE national_aggregate_state (
  singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  swept_at   timestamptz NOT NULL
);
INSERT INTO national_aggregate_state (swept_at) VALUES ('-infinity');

-- Regions whose aggregates a bulk catch-up left to be counted again (decision 0012, "Bulk
-- catch-up"): while the session setting ess.aggregates_deferred is 'on', the triggers leave
-- the aggregates alone; the writer marks its region here, readers use the tables for it, the
-- sweep passes it by, and national_aggregates_recount_region() counts it again and unmarks it.
CREATE TABLE national_aggregate_deferred (
  region  text PRIMARY KEY
);

-- The zooms the grid holds, with ClusterCellDegrees(zoom) (core/geo.h) as the hub's queries
-- pass it (hub/store/national_queries.cpp writes it with 10 significant digits: exact up to
-- zoom 11). A cell of zoom z + 1 lies in one cell of zoom z (the sizes halve exactly).
CREATE TABLE national_cluster_zoom (
  zoom          smallint PRIMARY KEY,
  cell_degrees  float8   NOT NULL
);
INSERT INTO national_cluster_zoom SELECT z, 45.0 / 2 ^ z FROM generate_series(0, 10) AS z;

-- One row per zoom, cell (floor(longitude / cell), floor(latitude / cell)), region,
-- department and family holding at least one record visible at swept_at. Sums are numeric:
-- exact whatever the order rows come and go in. one_region / one_id: the record when n = 1.
CREATE TABLE national_cluster_cell (
  zoom        smallint NOT NULL,
  cx          integer  NOT NULL,
  cy          integer  NOT NULL,
  region      text     NOT NULL,
  department  text     NOT NULL,
  family      text     NOT NULL,
  n           bigint   NOT NULL,
  sum_lat     numeric  NOT NULL,
  sum_lon     numeric  NOT NULL,
  min_lat     float8,
  min_lon     float8,
  max_lat     float8,
  max_lon     float8,
  one_region  text,
  one_id      uuid,
  PRIMARY KEY (zoom, cx, cy, region, department, family)
);
-- Room for the counts' updates on their page (no index touched: a HOT update). A view reads
-- its cells by the key's (zoom, cx) range; region, department and family are filtered there.
ALTER TABLE national_cluster_cell SET (fillfactor = 70);

-- The dashboard's counters of the records visible at swept_at: level 0 every record (period
-- -infinity), level 1 per month of first admission (UTC, period = its first day), level 2 per
-- day (UTC); kind 'freshness' (code 'fresh' or 'to_confirm'), 'family', 'legal_form',
-- 'activity' (one per element of activities, as unnest counts them).
CREATE TABLE national_indicator_count (
  level       smallint NOT NULL,
  kind        text     NOT NULL,
  region      text     NOT NULL,
  department  text     NOT NULL,
  period      date     NOT NULL,
  code        text     NOT NULL,
  n           bigint   NOT NULL,
  PRIMARY KEY (level, kind, region, department, period, code)
);
ALTER TABLE national_indicator_count SET (fillfactor = 70);

-- Every initiative the hub knows, by region and latest status.
CREATE TABLE national_status_count (
  region  text   NOT NULL,
  status  text   NOT NULL,
  n       bigint NOT NULL,
  PRIMARY KEY (region, status)
);

-- What the aggregates need of a national row (with its state's first admission).
CREATE TYPE national_aggregate_row AS (
  region             text,
  record_id          uuid,
  department         text,
  family             text,
  legal_form         text,
  activities         text[],
  latitude           float8,
  longitude          float8,
  valid_until        timestamptz,
  hide_after         timestamptz,
  first_admitted_at  timestamptz
);

CREATE TYPE national_cluster_delta AS (
  zoom smallint, cx integer, cy integer, region text, department text, family text, dn bigint,
  dlat numeric, dlon numeric, amin_lat float8, amin_lon float8, amax_lat float8,
  amax_lon float8, rmin_lat float8, rmin_lon float8, rmax_lat float8, rmax_lon float8,
  removes boolean, a_region text, a_id uuid
);

-- The grid's changes per cell: `removed` as they were counted at removed_at, `added` as they
-- count at added_at (rows hidden at that instant count nowhere).
CREATE FUNCTION national_cluster_deltas(removed national_aggregate_row[], removed_at timestamptz,
                                        added national_aggregate_row[], added_at timestamptz)
  RETURNS SETOF national_cluster_delta
  LANGUAGE sql STABLE AS $$
  SELECT z.zoom, floor(r.longitude / z.cell_degrees)::integer,
         floor(r.latitude / z.cell_degrees)::integer, r.region, r.department, r.family,
         sum(r.sign), sum(r.sign * r.latn), sum(r.sign * r.lonn),
         min(r.latitude) FILTER (WHERE r.sign > 0), min(r.longitude) FILTER (WHERE r.sign > 0),
         max(r.latitude) FILTER (WHERE r.sign > 0), max(r.longitude) FILTER (WHERE r.sign > 0),
         min(r.latitude) FILTER (WHERE r.sign < 0), min(r.longitude) FILTER (WHERE r.sign < 0),
         max(r.latitude) FILTER (WHERE r.sign < 0), max(r.longitude) FILTER (WHERE r.sign < 0),
         bool_or(r.sign < 0), min(r.region) FILTER (WHERE r.sign > 0),
         min(r.record_id::text) FILTER (WHERE r.sign > 0)::uuid
  FROM (SELECT -1 AS sign, x.*, x.latitude::numeric AS latn, x.longitude::numeric AS lonn
          FROM unnest(removed) AS x WHERE x.hide_after IS NULL OR x.hide_after > removed_at
        UNION ALL
        SELECT 1, x.*, x.latitude::numeric, x.longitude::numeric
          FROM unnest(added) AS x WHERE x.hide_after IS NULL OR x.hide_after > added_at) AS r
  CROSS JOIN national_cluster_zoom AS z
  GROUP BY 1, 2, 3, 4, 5, 6
$$;

-- Applies a change to the aggregates: `removed` rows leave them as counted at removed_at,
-- `added` rows enter them as counted at added_at. The caller holds the advisory lock.
CREATE FUNCTION national_aggregates_apply(removed national_aggregate_row[], removed_at timestamptz,
                                          added national_aggregate_row[], added_at timestamptz,
                                          with_grid boolean)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  zero_counts national_indicator_count[];
  deltas national_cluster_delta[];
BEGIN
  IF coalesce(cardinality(removed), 0) + coalesce(cardinality(added), 0) = 0 THEN
    RETURN;
  END IF;
  IF with_grid THEN
    SELECT array_agg(d) INTO deltas
      FROM national_cluster_deltas(removed, removed_at, added, added_at) AS d;
    -- Sums and counts move by the deltas; an extent only widens here. A cell that lost a row
    -- on its extent, or kept one row or none, has its extent and record read again below.
    INSERT INTO national_cluster_cell AS c
      SELECT d.zoom, d.cx, d.cy, d.region, d.department, d.family, d.dn, d.dlat, d.dlon,
             d.amin_lat, d.amin_lon, d.amax_lat, d.amax_lon,
             CASE WHEN d.dn = 1 AND NOT d.removes THEN d.a_region END,
             CASE WHEN d.dn = 1 AND NOT d.removes THEN d.a_id END
      FROM unnest(deltas) AS d
      WHERE d.dn <> 0 OR d.removes
      ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (zoom, cx, cy, region, department, family) DO UPDATE SET
      n = c.n + excluded.n, sum_lat = c.sum_lat + excluded.sum_lat,
      sum_lon = c.sum_lon + excluded.sum_lon,
      min_lat = least(c.min_lat, excluded.min_lat), min_lon = least(c.min_lon, excluded.min_lon),
      max_lat = greatest(c.max_lat, excluded.max_lat),
      max_lon = greatest(c.max_lon, excluded.max_lon),
      one_region = NULL, one_id = NULL;
  END IF;
  IF with_grid AND coalesce(cardinality(removed), 0) > 0 THEN
    -- Cells whose extent or single record is read again from the table: at zooms up to 6 a
    -- cell spans departments, read by the department's index; above, by the location index
    -- over the cell. Counts and sums stay those of the deltas: an INSERT ... ON CONFLICT DO
    -- UPDATE fires this statement's INSERT and UPDATE triggers one after the other, each with
    -- its own rows, and the table read here already holds the rows of the one still to come.
    -- An extent read so only holds them too (the other's widening then changes nothing), and
    -- a single record read so is cleared by the other's deltas when they land in its cell.
    UPDATE national_cluster_cell AS c SET
      (min_lat, min_lon, max_lat, max_lon, one_region, one_id) =
      (SELECT min(i.latitude), min(i.longitude), max(i.latitude), max(i.longitude),
              CASE WHEN c.n = 1 THEN min(i.region) END,
              CASE WHEN c.n = 1 THEN min(i.record_id::text)::uuid END
       FROM national_initiative AS i, national_cluster_zoom AS z
       WHERE z.zoom = c.zoom AND i.region = c.region AND i.department = c.department
         AND i.family = c.family
         AND floor(i.longitude / z.cell_degrees) = c.cx
         AND floor(i.latitude / z.cell_degrees) = c.cy
         AND (i.hide_after IS NULL OR i.hide_after > added_at))
    FROM unnest(deltas) AS d
    WHERE d.removes AND d.zoom <= 6 AND c.zoom = d.zoom AND c.cx = d.cx AND c.cy = d.cy AND c.region = d.region
      AND c.department = d.department AND c.family = d.family
      AND (c.n <= 1 OR d.rmin_lat <= c.min_lat OR d.rmin_lon <= c.min_lon
           OR d.rmax_lat >= c.max_lat OR d.rmax_lon >= c.max_lon);
    UPDATE national_cluster_cell AS c SET
      (min_lat, min_lon, max_lat, max_lon, one_region, one_id) =
      (SELECT min(i.latitude), min(i.longitude), max(i.latitude), max(i.longitude),
              CASE WHEN c.n = 1 THEN min(i.region) END,
              CASE WHEN c.n = 1 THEN min(i.record_id::text)::uuid END
       FROM national_initiative AS i, national_cluster_zoom AS z
       WHERE z.zoom = c.zoom AND i.region = c.region AND i.department = c.department
         AND i.family = c.family
         AND i.location <@ box(point((c.cx - 1e-6) * z.cell_degrees, (c.cy - 1e-6) * z.cell_degrees),
                               point((c.cx + 1 + 1e-6) * z.cell_degrees,
                                     (c.cy + 1 + 1e-6) * z.cell_degrees))
         AND floor(i.longitude / z.cell_degrees) = c.cx
         AND floor(i.latitude / z.cell_degrees) = c.cy
         AND (i.hide_after IS NULL OR i.hide_after > added_at))
    FROM unnest(deltas) AS d
    WHERE d.removes AND d.zoom > 6 AND c.zoom = d.zoom AND c.cx = d.cx AND c.cy = d.cy AND c.region = d.region
      AND c.department = d.department AND c.family = d.family
      AND (c.n <= 1 OR d.rmin_lat <= c.min_lat OR d.rmin_lon <= c.min_lon
           OR d.rmax_lat >= c.max_lat OR d.rmax_lon >= c.max_lon);
    DELETE FROM national_cluster_cell AS c
      USING unnest(deltas) AS d
      WHERE d.removes AND c.n = 0 AND c.zoom = d.zoom AND c.cx = d.cx AND c.cy = d.cy
        AND c.region = d.region AND c.department = d.department AND c.family = d.family;
  END IF;

  WITH r AS (
    SELECT -1 AS sign, x.*, (x.valid_until IS NOT NULL AND x.valid_until <= removed_at) AS tc
      FROM unnest(removed) AS x WHERE x.hide_after IS NULL OR x.hide_after > removed_at
    UNION ALL
    SELECT 1, x.*, (x.valid_until IS NOT NULL AND x.valid_until <= added_at)
      FROM unnest(added) AS x WHERE x.hide_after IS NULL OR x.hide_after > added_at
  ), lv AS (
    SELECT r.*, l.level,
           CASE l.level WHEN 0 THEN '-infinity'::date
                        WHEN 1 THEN date_trunc('month', r.first_admitted_at AT TIME ZONE 'UTC')::date
                        ELSE (r.first_admitted_at AT TIME ZONE 'UTC')::date END AS period
    FROM r CROSS JOIN (VALUES (0::smallint), (1::smallint), (2::smallint)) AS l (level)
    WHERE l.level = 0 OR r.first_admitted_at IS NOT NULL
  ), k AS (
    SELECT level, 'freshness' AS kind, region, department, period,
           CASE WHEN tc THEN 'to_confirm' ELSE 'fresh' END AS code, sign FROM lv
    UNION ALL SELECT level, 'family', region, department, period, family, sign FROM lv
    UNION ALL SELECT level, 'legal_form', region, department, period, legal_form, sign FROM lv
    UNION ALL SELECT level, 'activity', region, department, period, a, sign
      FROM lv CROSS JOIN LATERAL unnest(lv.activities) AS a
  ), up AS (
    INSERT INTO national_indicator_count AS c
      SELECT level, kind, region, department, period, code, sum(sign) FROM k
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (level, kind, region, department, period, code) DO UPDATE SET n = c.n + excluded.n
    RETURNING c.*
  )
  SELECT array_agg(ROW(up.level, up.kind, up.region, up.department, up.period, up.code,
                       up.n)::national_indicator_count)
    INTO zero_counts FROM up WHERE up.n = 0;
  IF zero_counts IS NOT NULL THEN
    DELETE FROM national_indicator_count AS c USING unnest(zero_counts) AS z
      WHERE c.level = z.level AND c.kind = z.kind AND c.region = z.region
        AND c.department = z.department AND c.period = z.period AND c.code = z.code
        AND c.n = 0;
  END IF;
END
$$;

-- The advisory lock of the aggregates: shared by writers, alone for a sweep.
CREATE FUNCTION national_aggregates_lock_key() RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$ SELECT 4102041041::bigint $$;

CREATE FUNCTION national_initiative_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  swept timestamptz;
  removed national_aggregate_row[];
  added national_aggregate_row[];
BEGIN
  IF current_setting('ess.aggregates_deferred', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(national_aggregates_lock_key());
  SELECT swept_at INTO swept FROM national_aggregate_state;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT array_agg(ROW(o.region, o.record_id, o.department, o.family, o.legal_form,
                         o.activities, o.latitude, o.longitude, o.valid_until, o.hide_after,
                         s.first_admitted_at)::national_aggregate_row)
      INTO removed
      FROM old_rows AS o LEFT JOIN national_initiative_state AS s
        ON s.region = o.region AND s.record_id = o.record_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT array_agg(ROW(w.region, w.record_id, w.department, w.family, w.legal_form,
                         w.activities, w.latitude, w.longitude, w.valid_until, w.hide_after,
                         s.first_admitted_at)::national_aggregate_row)
      INTO added
      FROM new_rows AS w LEFT JOIN national_initiative_state AS s
        ON s.region = w.region AND s.record_id = w.record_id;
  END IF;
  PERFORM national_aggregates_apply(removed, swept, added, swept, true);
  RETURN NULL;
END
$$;

-- A state's first admission moves its initiative's counters between periods; its status
-- moves the status counts.
CREATE FUNCTION national_initiative_state_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  swept timestamptz;
  removed national_aggregate_row[];
  added national_aggregate_row[];
  status_delta national_status_count[];
BEGIN
  IF current_setting('ess.aggregates_deferred', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(national_aggregates_lock_key());
  SELECT swept_at INTO swept FROM national_aggregate_state;
  IF TG_OP = 'INSERT' THEN
    WITH ch AS (SELECT region, record_id, NULL::timestamptz AS before, first_admitted_at AS after
                FROM new_rows)
    SELECT array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.before)::national_aggregate_row),
           array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.after)::national_aggregate_row)
      INTO removed, added
      FROM ch JOIN national_initiative AS i ON i.region = ch.region AND i.record_id = ch.record_id
      WHERE ch.before IS DISTINCT FROM ch.after;
  ELSIF TG_OP = 'DELETE' THEN
    WITH ch AS (SELECT region, record_id, first_admitted_at AS before, NULL::timestamptz AS after
                FROM old_rows)
    SELECT array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.before)::national_aggregate_row),
           array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.after)::national_aggregate_row)
      INTO removed, added
      FROM ch JOIN national_initiative AS i ON i.region = ch.region AND i.record_id = ch.record_id
      WHERE ch.before IS DISTINCT FROM ch.after;
  ELSE
    WITH ch AS (SELECT o.region, o.record_id, o.first_admitted_at AS before,
                       w.first_admitted_at AS after
                FROM old_rows AS o JOIN new_rows AS w
                  ON w.region = o.region AND w.record_id = o.record_id)
    SELECT array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.before)::national_aggregate_row),
           array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                         i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                         ch.after)::national_aggregate_row)
      INTO removed, added
      FROM ch JOIN national_initiative AS i ON i.region = ch.region AND i.record_id = ch.record_id
      WHERE ch.before IS DISTINCT FROM ch.after;
  END IF;
  PERFORM national_aggregates_apply(removed, swept, added, swept, false);

  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(region, status, n)::national_status_count) INTO status_delta
      FROM (SELECT region, status, count(*) AS n FROM new_rows GROUP BY 1, 2) AS x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(region, status, -n)::national_status_count) INTO status_delta
      FROM (SELECT region, status, count(*) AS n FROM old_rows GROUP BY 1, 2) AS x;
  ELSE
    SELECT array_agg(ROW(region, status, n)::national_status_count) INTO status_delta
      FROM (SELECT region, status, sum(sign) AS n FROM (
              SELECT region, status, -1 AS sign FROM old_rows
              UNION ALL SELECT region, status, 1 FROM new_rows) AS y
            GROUP BY 1, 2 HAVING sum(sign) <> 0) AS x;
  END IF;
  IF status_delta IS NOT NULL THEN
    INSERT INTO national_status_count AS c
      SELECT region, status, n FROM unnest(status_delta) ORDER BY 1, 2
    ON CONFLICT (region, status) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM national_status_count AS c USING unnest(status_delta) AS d
      WHERE c.n = 0 AND c.region = d.region AND c.status = d.status;
  END IF;
  RETURN NULL;
END
$$;

-- Brings the aggregates to now_at (a reader's clock, later than swept_at): the records whose
-- hide_after or valid_until came in (swept_at, now_at] leave them as counted at swept_at and
-- enter them as they count at now_at.
CREATE FUNCTION national_aggregates_sweep(now_at timestamptz) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  swept timestamptz;
  changed national_aggregate_row[];
BEGIN
  PERFORM pg_advisory_xact_lock(national_aggregates_lock_key());
  SELECT swept_at INTO swept FROM national_aggregate_state FOR UPDATE;
  IF now_at <= swept THEN
    RETURN;
  END IF;
  -- Leaving the map: out of the grid and the counters.
  SELECT array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                       i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                       s.first_admitted_at)::national_aggregate_row)
    INTO changed
    FROM national_initiative AS i LEFT JOIN national_initiative_state AS s
      ON s.region = i.region AND s.record_id = i.record_id
    WHERE i.hide_after > swept AND i.hide_after <= now_at
      AND i.region NOT IN (SELECT region FROM national_aggregate_deferred);
  PERFORM national_aggregates_apply(changed, swept, NULL, now_at, true);
  -- Turning "to confirm" and staying on the map: the counters only.
  SELECT array_agg(ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                       i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                       s.first_admitted_at)::national_aggregate_row)
    INTO changed
    FROM national_initiative AS i LEFT JOIN national_initiative_state AS s
      ON s.region = i.region AND s.record_id = i.record_id
    WHERE i.valid_until > swept AND i.valid_until <= now_at
      AND (i.hide_after IS NULL OR i.hide_after > now_at)
      AND i.region NOT IN (SELECT region FROM national_aggregate_deferred);
  PERFORM national_aggregates_apply(changed, swept, changed, now_at, false);
  UPDATE national_aggregate_state SET swept_at = now_at;
END
$$;

-- Counts one region's aggregates again from the tables, at swept_at, and unmarks it as
-- deferred (the batch that ends a bulk catch-up). Other regions' rows are not touched: every
-- aggregate row belongs to one region.
CREATE FUNCTION national_aggregates_recount_region(recounted text) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  swept timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(national_aggregates_lock_key());
  SELECT swept_at INTO swept FROM national_aggregate_state;
  DELETE FROM national_cluster_cell WHERE region = recounted;
  DELETE FROM national_indicator_count WHERE region = recounted;
  DELETE FROM national_status_count WHERE region = recounted;
  -- The grid straight from the table (no deltas to merge: the region has no cell left), then
  -- the counters through the deltas' path.
  INSERT INTO national_cluster_cell
    SELECT z.zoom, floor(i.longitude / z.cell_degrees)::integer,
           floor(i.latitude / z.cell_degrees)::integer, i.region, i.department, i.family,
           count(*), sum(i.latitude::numeric), sum(i.longitude::numeric),
           min(i.latitude), min(i.longitude), max(i.latitude), max(i.longitude),
           CASE WHEN count(*) = 1 THEN min(i.region) END,
           CASE WHEN count(*) = 1 THEN min(i.record_id::text)::uuid END
    FROM national_initiative AS i CROSS JOIN national_cluster_zoom AS z
    WHERE i.region = recounted AND (i.hide_after IS NULL OR i.hide_after > swept)
    GROUP BY 1, 2, 3, 4, 5, 6;
  PERFORM national_aggregates_apply(
    NULL, swept,
    ARRAY(SELECT ROW(i.region, i.record_id, i.department, i.family, i.legal_form,
                     i.activities, i.latitude, i.longitude, i.valid_until, i.hide_after,
                     s.first_admitted_at)::national_aggregate_row
          FROM national_initiative AS i LEFT JOIN national_initiative_state AS s
            ON s.region = i.region AND s.record_id = i.record_id
          WHERE i.region = recounted),
    swept, false);
  INSERT INTO national_status_count
    SELECT region, status, count(*) FROM national_initiative_state
    WHERE region = recounted GROUP BY 1, 2;
  DELETE FROM national_aggregate_deferred WHERE region = recounted;
END
$$;

-- Counts the aggregates again from the tables, at swept_at (the migration's backfill, and
-- after a TRUNCATE of either table).
CREATE FUNCTION national_aggregates_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  one_region text;
BEGIN
  PERFORM pg_advisory_xact_lock(national_aggregates_lock_key());
  DELETE FROM national_cluster_cell;
  DELETE FROM national_indicator_count;
  DELETE FROM national_status_count;
  FOR one_region IN SELECT region FROM national_initiative
                    UNION SELECT region FROM national_initiative_state
                    UNION SELECT region FROM national_aggregate_deferred ORDER BY 1 LOOP
    PERFORM national_aggregates_recount_region(one_region);
  END LOOP;
END
$$;

CREATE FUNCTION national_aggregates_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM national_aggregates_rebuild();
  RETURN NULL;
END
$$;

SELECT national_aggregates_rebuild();

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['national_initiative', 'national_initiative_state'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                   t || '_aggregate_insert', t, t || '_aggregate');
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows '
                   'OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                   t || '_aggregate_update', t, t || '_aggregate');
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                   t || '_aggregate_delete', t, t || '_aggregate');
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION national_aggregates_truncated()',
                   t || '_aggregate_truncate', t);
  END LOOP;
END
$$;
