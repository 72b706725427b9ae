-- What a national record's position is, from its payload's `location_precision`
-- (docs/decisions/0007-commune-positions.md): "placed" (also for payloads without the field),
-- "commune" or "approximate". Rows admitted before this column are refreshed by the next
-- revision of their record; until then they read "placed", as their payload does.
ALTER TABLE national_initiative ADD COLUMN location_precision text NOT NULL DEFAULT 'placed'
  CHECK (location_precision IN ('placed', 'commune', 'approximate'));
