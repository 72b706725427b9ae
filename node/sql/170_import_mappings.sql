-- The column mappings admins chose for their spreadsheets (node/service/import_service.h):
-- one per header signature (the header's cells folded, joined by '|'), proposed again for
-- the next file with the same header. The mapping is {field: column header}.

CREATE TABLE import_mapping (
  signature  text        PRIMARY KEY,
  mapping    jsonb       NOT NULL,
  chosen_by  text        NOT NULL,
  chosen_at  timestamptz NOT NULL
);
