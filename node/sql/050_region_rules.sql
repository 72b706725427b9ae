-- The region's rules the admin may change while the node runs (node/domain/region_rules.h):
-- one row, seeded from the configuration file the first time the node starts, then changed
-- through PUT /api/admin/settings. Every change (and the seeding) is kept in
-- region_rules_change with who, when, and the rules before and after.

CREATE TABLE region_rules (
  singleton              boolean          PRIMARY KEY DEFAULT true CHECK (singleton),
  revision               integer          NOT NULL CHECK (revision >= 1),
  quorum                 integer          NOT NULL CHECK (quorum BETWEEN 1 AND 100),
  majority               double precision NOT NULL CHECK (majority >= 0.5 AND majority < 1),
  min_colleges           integer          NOT NULL CHECK (min_colleges >= 1 AND min_colleges <= quorum),
  colleges               text[]           NOT NULL CHECK (cardinality(colleges) BETWEEN 1 AND 20
                                                         AND min_colleges <= cardinality(colleges)),
  validity_days          integer          NOT NULL CHECK (validity_days BETWEEN 1 AND 3650),
  grace_days             integer          NOT NULL CHECK (grace_days BETWEEN 0 AND 3650),
  reminder_days          integer          NOT NULL CHECK (reminder_days BETWEEN 0 AND validity_days),
  report_threshold       integer          NOT NULL CHECK (report_threshold BETWEEN 1 AND 100000),
  endorsement_threshold  integer          NOT NULL CHECK (endorsement_threshold BETWEEN 1 AND 100000),
  updated_at             timestamptz      NOT NULL,
  updated_by             text             NOT NULL
);

CREATE TABLE region_rules_change (
  change_id   bigserial   PRIMARY KEY,
  revision    integer     NOT NULL UNIQUE,
  changed_at  timestamptz NOT NULL,
  changed_by  text        NOT NULL,  -- "configuration" for the seed, "admin:<email>" after
  before      jsonb,                 -- NULL for the seed
  after       jsonb       NOT NULL
);
