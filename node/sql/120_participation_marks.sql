-- Participation that cannot be faked, private links that are never kept in clear
-- (docs/node.md, "Participation" and "Messages to owners").
--
-- node_secret: random keys of this node, each created once (32 random bytes drawn by the
-- node the first time it needs one) and never shown: `visitor_mark` keys the visitor marks,
-- `outbox_link` seals the private links of queued messages.
CREATE TABLE node_secret (
  name        text        PRIMARY KEY,
  secret      bytea       NOT NULL CHECK (octet_length(secret) = 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A visitor mark: BLAKE2b keyed with `visitor_mark` over (signal kind, initiative, client
-- address, period number). It tells two signals of one visitor on one initiative within one
-- period apart from others, and nothing else: the address is never stored, a mark of one
-- period or initiative cannot be linked to another, and without the key no address can be
-- tested against it. Rows from before this migration have no mark (each counts once).
ALTER TABLE report ADD COLUMN visitor_mark bytea CHECK (octet_length(visitor_mark) = 32);
ALTER TABLE endorsement ADD COLUMN visitor_mark bytea CHECK (octet_length(visitor_mark) = 32);
CREATE UNIQUE INDEX report_one_per_visitor ON report (initiative_id, visitor_mark);
CREATE UNIQUE INDEX endorsement_one_per_visitor ON endorsement (initiative_id, visitor_mark);

-- A queued message keeps its private link sealed (crypto_secretbox with `outbox_link`:
-- nonce then ciphertext); its body holds « lien privé masqué » where the link goes. Messages
-- queued before this migration had the link in clear in their body: it is masked, and those
-- links are no longer delivered (the owner asks for a new one).
ALTER TABLE outbox ADD COLUMN sealed_link bytea;
UPDATE outbox SET body = regexp_replace(body, 'https?://\S*#jeton=[0-9a-f]+', '« lien privé masqué »', 'g')
 WHERE body ~ '#jeton=';
