-- Edit proposals (node/domain/edit_proposal.h): an edit of an admitted initiative is kept
-- here, as a copy with its private fields, until the committee decides. The initiative's
-- own row keeps the admitted revision, so the public map, search, exports and the journal
-- do not change meanwhile; nothing of a proposal is journalled (it is not public). At most
-- one proposal per initiative: a new edit replaces it.

CREATE TABLE edit_proposal (
  initiative_id   uuid        PRIMARY KEY REFERENCES initiative ON DELETE CASCADE,
  fields          jsonb       NOT NULL,  -- public fields, as edit_proposal.h FieldsJson writes them
  private_fields  jsonb       NOT NULL,  -- contact name, email, phone: never leave the node
  commune_name    text        NOT NULL,
  state           text        NOT NULL CHECK (state IN ('under_review', 'waiting', 'changes_requested')),
  proposed_at     timestamptz NOT NULL,
  proposed_by     text        NOT NULL
);

-- What a decision was about: the initiative (its status) or an edit proposal of it. Only
-- journalled decisions have a committee_decision record (decision_id is then its record id):
-- rejecting a proposal or sending it back changes nothing public and is not journalled.
ALTER TABLE committee_decision
  ADD COLUMN subject text NOT NULL DEFAULT 'initiative' CHECK (subject IN ('initiative', 'edit_proposal')),
  ADD COLUMN journalled boolean NOT NULL DEFAULT true;
