-- The ethics committee and the charter. Names and emails of members stay in `account`;
-- `member_id` is the record id of the member's committee_membership records.

CREATE TABLE committee_member (
  member_id   uuid    PRIMARY KEY,
  account_id  uuid    NOT NULL UNIQUE REFERENCES account,
  college     text    NOT NULL,
  role        text    NOT NULL CHECK (role IN ('member', 'chair')),
  active      boolean NOT NULL
);

CREATE TABLE charter_version (
  version          integer     PRIMARY KEY CHECK (version > 0),
  record_id        uuid        NOT NULL UNIQUE,
  text             text        NOT NULL,
  published_at     timestamptz NOT NULL,
  readhesion_days  integer     NOT NULL CHECK (readhesion_days > 0),
  published_by     uuid        REFERENCES account
);
