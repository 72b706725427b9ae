-- The national search finds an initiative by its offers' titles and its activities' labels,
-- as the node's does (core/search_text.h): hub/national_view.cpp now writes those words into
-- search_vector (weight B, beside the commune name). Rows stored before get their offers'
-- titles here; SQL does not know the activities' labels, so their codes stand in (as before,
-- '_' read as a space) until the record's next revision comes.
UPDATE national_initiative SET search_vector =
  setweight(to_tsvector('french_unaccent', name), 'A') ||
  setweight(to_tsvector('french_unaccent', coalesce(commune_name, '') || ' ' ||
    replace(array_to_string(activities, ' '), '_', ' ') || ' ' ||
    coalesce((SELECT string_agg(o ->> 'title', ' ') FROM jsonb_array_elements(offers) AS o
              WHERE jsonb_typeof(o) = 'object'), '')), 'B') ||
  setweight(to_tsvector('french_unaccent', description), 'C');
