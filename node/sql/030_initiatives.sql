-- Initiatives: public fields (journalled), private fields (never leave the node), workflow
-- state and freshness dates; then everything that hangs off an initiative. Erasing an
-- initiative deletes its row, and the cascade deletes everything personal about it.

CREATE EXTENSION IF NOT EXISTS unaccent;
-- French full-text search, insensitive to accents: unaccent, then the French stemmer.
CREATE TEXT SEARCH CONFIGURATION ess_french (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION ess_french
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

CREATE TABLE initiative (
  initiative_id       uuid             PRIMARY KEY,
  name                text             NOT NULL,
  family              text             NOT NULL,
  legal_form          text             NOT NULL,
  activities          text[]           NOT NULL,
  description         text             NOT NULL DEFAULT '',
  address             text             NOT NULL DEFAULT '',
  postcode            text             NOT NULL DEFAULT '',
  commune             text             NOT NULL,
  commune_name        text             NOT NULL DEFAULT '',
  department          text             NOT NULL,
  region              text             NOT NULL,
  latitude            double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude           double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  email               text,
  phone               text,
  website             text,
  siret               text,
  employer            boolean          NOT NULL DEFAULT false,
  offers              jsonb            NOT NULL DEFAULT '[]',
  -- private
  contact_name        text,
  contact_email       text,
  contact_phone       text,
  charter_adhered_by  text,
  -- charter, workflow, freshness
  charter_version     integer          NOT NULL DEFAULT 0,
  charter_adhered_at  timestamptz,
  status              text             NOT NULL CHECK (status IN ('pending', 'changes_requested',
                        'admitted', 'rejected', 'suspended', 'withdrawn')),
  created_at          timestamptz      NOT NULL,
  updated_at          timestamptz      NOT NULL,
  confirmed_at        timestamptz      NOT NULL,
  valid_until         timestamptz      NOT NULL,
  hide_after          timestamptz      NOT NULL,
  review_round        integer          NOT NULL DEFAULT 1,
  under_review        boolean          NOT NULL,
  review_reason       text             NOT NULL DEFAULT '',
  log_version         integer          NOT NULL,
  reminder_sent_for   timestamptz,
  search              tsvector         NOT NULL
);
CREATE INDEX initiative_search ON initiative USING gin (search);
CREATE INDEX initiative_activities ON initiative USING gin (activities);
CREATE INDEX initiative_position ON initiative (latitude, longitude);
CREATE INDEX initiative_by_status ON initiative (status, hide_after);
CREATE INDEX initiative_by_department ON initiative (department);
CREATE INDEX initiative_by_commune ON initiative (commune);
CREATE INDEX initiative_under_review ON initiative (under_review) WHERE under_review;

-- Private edit links: only the SHA-256 of the secret token is kept.
CREATE TABLE edit_link (
  token_hash     bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  initiative_id  uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz
);
CREATE INDEX edit_link_by_initiative ON edit_link (initiative_id);

CREATE TABLE committee_vote (
  initiative_id  uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  review_round   integer     NOT NULL,
  member_id      uuid        NOT NULL REFERENCES committee_member,
  college        text        NOT NULL,
  vote           text        NOT NULL CHECK (vote IN ('admit', 'reject', 'request_changes', 'abstain')),
  reason         text        NOT NULL,
  voted_at       timestamptz NOT NULL,
  cast_order     bigserial   NOT NULL,  -- the order votes were cast in
  PRIMARY KEY (initiative_id, review_round, member_id)
);

CREATE TABLE conflict_of_interest (
  initiative_id  uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  member_id      uuid        NOT NULL REFERENCES committee_member,
  reason         text        NOT NULL,
  declared_at    timestamptz NOT NULL,
  PRIMARY KEY (initiative_id, member_id)
);

-- decision_id is the record id of the committee_decision record.
CREATE TABLE committee_decision (
  decision_id         uuid        PRIMARY KEY,
  initiative_id       uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  initiative_version  integer     NOT NULL,
  review_round        integer     NOT NULL,
  decision            text        NOT NULL,
  reasons             text        NOT NULL,
  votes               jsonb       NOT NULL,
  rule                jsonb       NOT NULL,
  decided_at          timestamptz NOT NULL
);
CREATE INDEX committee_decision_by_initiative ON committee_decision (initiative_id, decided_at);

-- What happened to an initiative, for its full history (decisions have their own table).
CREATE TABLE initiative_event (
  event_id       bigserial   PRIMARY KEY,
  initiative_id  uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  at             timestamptz NOT NULL,
  action         text        NOT NULL,
  actor          text        NOT NULL,
  detail         text        NOT NULL DEFAULT ''
);
CREATE INDEX initiative_event_by_initiative ON initiative_event (initiative_id, event_id);

-- Participatory validation. Reports are open until a committee decision handles them.
CREATE TABLE report (
  report_id      bigserial   PRIMARY KEY,
  initiative_id  uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  reason         text        NOT NULL CHECK (reason IN ('wrong_information', 'closed', 'charter_breach')),
  comment        text        NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL,
  handled        boolean     NOT NULL DEFAULT false
);
CREATE INDEX report_open ON report (initiative_id) WHERE NOT handled;

CREATE TABLE endorsement (
  endorsement_id  bigserial   PRIMARY KEY,
  initiative_id   uuid        NOT NULL REFERENCES initiative ON DELETE CASCADE,
  comment         text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL
);
CREATE INDEX endorsement_by_initiative ON endorsement (initiative_id);

-- Messages to send (sending mail is a later concern): reminders with their edit link.
CREATE TABLE outbox (
  message_id     bigserial   PRIMARY KEY,
  initiative_id  uuid        REFERENCES initiative ON DELETE CASCADE,
  recipient      text        NOT NULL,
  subject        text        NOT NULL,
  body           text        NOT NULL,
  created_at     timestamptz NOT NULL,
  sent_at        timestamptz
);

-- Erased initiatives: nothing personal, only that the id is gone and why.
CREATE TABLE erased_initiative (
  initiative_id  uuid        PRIMARY KEY,
  erased_at      timestamptz NOT NULL,
  reason         text        NOT NULL
);
