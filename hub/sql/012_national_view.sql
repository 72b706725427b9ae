-- The national view (docs/protocol.md section 8): per initiative of every region, the latest
-- revision the region's committee admitted, as long as no later revision suspended,
-- withdrew or rejected it and no erase entry came. Built in the transaction that stores the
-- entries, so it never runs ahead of or behind the stored log.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (it reads its dictionary by name); with the dictionary given it
-- is safe to use in indexes and generated values.
CREATE OR REPLACE FUNCTION hub_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- French stemming that ignores accents: "epicerie" finds "Épicerie".
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
  END IF;
END
$$;

-- Great-circle distance in metres (haversine, mean Earth radius).
CREATE OR REPLACE FUNCTION hub_distance_m(lat1 float8, lon1 float8, lat2 float8, lon2 float8)
  RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT 2 * 6371008.8 * asin(least(1, sqrt(
      sin(radians(lat2 - lat1) / 2) ^ 2 +
      cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)))
  $$;

-- A name reduced for duplicate detection: no accents, no case, no punctuation.
CREATE OR REPLACE FUNCTION hub_name_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(lower(hub_unaccent($1)), '[^a-z0-9]+', ' ', 'g')) $$;

-- Every initiative the hub has heard of, with its latest revision's status ("erased" once a
-- tombstone came): what the status indicators count.
CREATE TABLE national_initiative_state (
  region             text        NOT NULL,
  record_id          uuid        NOT NULL,
  record_version     integer     NOT NULL,
  log_index          bigint      NOT NULL,
  status             text        NOT NULL,
  first_admitted_at  timestamptz,  -- the region's timestamp of its first admitted revision
  changed_at         timestamptz NOT NULL,  -- the region's timestamp of the latest entry
  PRIMARY KEY (region, record_id)
);
CREATE INDEX national_initiative_state_by_status ON national_initiative_state (status);

-- The national map: one row per initiative shown, the admitted revision's public fields.
CREATE TABLE national_initiative (
  region              text             NOT NULL,
  record_id           uuid             NOT NULL,
  record_version      integer          NOT NULL,
  log_index           bigint           NOT NULL,  -- the entry of the revision shown
  name                text             NOT NULL,
  name_key            text             NOT NULL,
  family              text             NOT NULL,
  legal_form          text             NOT NULL,
  activities          text[]           NOT NULL,
  description         text             NOT NULL DEFAULT '',
  address             text,
  postcode            text,
  commune             text             NOT NULL,
  commune_name        text,
  department          text             NOT NULL,
  latitude            double precision NOT NULL,
  longitude           double precision NOT NULL,
  location            point            GENERATED ALWAYS AS (point(longitude, latitude)) STORED,
  email               text,
  phone               text,
  website             text,
  siret               text,
  employer            boolean,
  offers              jsonb            NOT NULL DEFAULT '[]',
  charter_version     integer,
  charter_adhered_at  timestamptz,
  created_at          timestamptz,
  updated_at          timestamptz,
  confirmed_at        timestamptz,
  valid_until         timestamptz,  -- past it: stale ("to confirm")
  hide_after          timestamptz,  -- past it: off the public map
  admitted_at         timestamptz      NOT NULL,  -- the region's timestamp of this revision
  search_vector       tsvector         NOT NULL,
  PRIMARY KEY (region, record_id)
);
CREATE INDEX national_initiative_search ON national_initiative USING gin (search_vector);
CREATE INDEX national_initiative_location ON national_initiative USING gist (location);
CREATE INDEX national_initiative_activities ON national_initiative USING gin (activities);
CREATE INDEX national_initiative_department ON national_initiative (department);
CREATE INDEX national_initiative_family ON national_initiative (family, legal_form);
CREATE INDEX national_initiative_commune ON national_initiative (commune);
CREATE INDEX national_initiative_siret ON national_initiative (siret) WHERE siret IS NOT NULL;
CREATE INDEX national_initiative_name ON national_initiative (name_key, region, record_id);
