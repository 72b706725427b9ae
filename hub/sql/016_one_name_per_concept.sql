-- One name per concept (docs/architecture.md, glossary): replication, not sync; a batch the
-- hub did not store is a batch rejection. Renames only: nothing is lost.
ALTER TABLE hub_region_sync RENAME TO hub_region_replication;
ALTER TABLE hub_sync_rejection RENAME TO hub_batch_rejection;
ALTER SEQUENCE hub_sync_rejection_id_seq RENAME TO hub_batch_rejection_id_seq;
ALTER INDEX hub_sync_rejection_by_region RENAME TO hub_batch_rejection_by_region;
ALTER INDEX hub_sync_rejection_by_record RENAME TO hub_batch_rejection_by_record;
