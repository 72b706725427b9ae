-- The public address of each region's site, as the region's node announces it in its
-- authenticated replication hello (docs/protocol.md section 7.1): the hub links each national
-- record to its page there. NULL until an authenticated node announced a valid one.
ALTER TABLE hub_region ADD COLUMN site_url text
  CHECK (site_url IS NULL OR (site_url ~ '^https?://' AND octet_length(site_url) <= 200));
