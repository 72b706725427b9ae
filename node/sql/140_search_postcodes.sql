-- A visitor finds initiatives by postcode ("13001"): core/search_text.h now puts the postcode
-- among the search words (weight B). Rows saved before get their postcode here; a row
-- without one gets its commune's single postcode at its next save (SQL does not hold the
-- referential).
UPDATE initiative SET search = search || setweight(to_tsvector('ess_french', postcode), 'B')
  WHERE postcode <> '';
