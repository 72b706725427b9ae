-- A refused batch is recorded by its size, its digest and its reason, never as the text the
-- client sent: the checkpoint is kept only when it is a readable note of at most 4 KiB (a
-- real one is a few hundred bytes). Only the newest rows of each region are kept (the hub's
-- --max-rejections-kept); fork evidence is never dropped; rejected_count stays exact.
ALTER TABLE hub_sync_rejection
  ADD COLUMN message_bytes  bigint,
  ADD COLUMN message_sha256 bytea;
UPDATE hub_sync_rejection SET checkpoint_note = NULL
  WHERE checkpoint_note LIKE 'hex:%' OR octet_length(checkpoint_note) > 4096;
