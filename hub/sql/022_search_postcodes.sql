-- The national search finds initiatives by postcode ("13001"), as the node's does:
-- core/search_text.h now puts the postcode among the search words (weight B). Rows stored
-- before get their postcode here; a row without one gets its commune's single postcode with
-- the record's next revision (SQL does not hold the referential).
UPDATE national_initiative SET search = search || setweight(to_tsvector('ess_french', postcode), 'B')
  WHERE coalesce(postcode, '') <> '';
