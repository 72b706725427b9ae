-- What an initiative's position is (docs/decisions/0007-commune-positions.md): "placed" by its
-- registrant (coordinates given or a pin), the commune's exact reference point ("commune") or
-- its approximated point ("approximate"). Rows before this column were all placed or on an
-- exact commune point; "placed" is what an absent payload field reads as.
ALTER TABLE initiative ADD COLUMN location_precision text NOT NULL DEFAULT 'placed'
  CHECK (location_precision IN ('placed', 'commune', 'approximate'));
