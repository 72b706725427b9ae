-- One name per concept (docs/architecture.md, glossary): the hub's French full-text
-- configuration and search column take the node's names, `ess_french` and `search`. The
-- mapping is the same (unaccent, then the French stemmer), so the stored vectors stay valid.
-- A database the node also uses already has `ess_french`: the hub's copy is then dropped.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'ess_french') THEN
    ALTER TEXT SEARCH CONFIGURATION french_unaccent RENAME TO ess_french;
  ELSE
    DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
  END IF;
END
$$;

ALTER TABLE national_initiative RENAME COLUMN search_vector TO search;

-- The distance is core's formula (core/geo.h SqlDistanceMetres) written into each query.
DROP FUNCTION IF EXISTS hub_distance_m(float8, float8, float8, float8);
