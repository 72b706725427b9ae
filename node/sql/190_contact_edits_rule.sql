-- Contact edits published without a committee vote (issue 15, point 3;
-- node/domain/region_rules.h, RegionRules::contact_edits_without_vote): the region's rule,
-- off until the admin turns it on. The history's stored forms (region_rules_change) written
-- before this column existed have no such key and read as off, which they were.

ALTER TABLE region_rules
  ADD COLUMN contact_edits_without_vote boolean NOT NULL DEFAULT false;
