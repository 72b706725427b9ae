-- The national change feed (GET /api/changes, docs/interop.md; core/change_cursor.h): every
-- initiative's latest state, read per region in log order from a cursor. The index serves
-- "this region's states after this log index" as one range scan per region.
CREATE INDEX national_initiative_state_by_log ON national_initiative_state (region, log_index);
