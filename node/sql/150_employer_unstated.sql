-- Whether an initiative employs staff may be left unsaid (the form's « Non précisé »): NULL,
-- published without `employer`, where the column stored false. Rows saved before keep their
-- false, as nothing tells an unsaid answer from a "no" in them.
ALTER TABLE initiative ALTER COLUMN employer DROP NOT NULL, ALTER COLUMN employer DROP DEFAULT;
