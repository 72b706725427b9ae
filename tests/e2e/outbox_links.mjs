// The private links of a node's queued messages, read from its database as the node's own
// sender would open them: the browser tests follow a member's invitation with it (never over
// HTTP: the admin's outbox shows links masked). A link is sealed with libsodium's
// crypto_secretbox (XSalsa20-Poly1305) under the node secret `outbox_link`
// (node/service/sealed_link.h); this opens it without checking the Poly1305 tag (the
// database is the test's own).
import { execFileSync } from 'node:child_process';

const kSigma = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

function Rotl(v, c) { return (v << c) | (v >>> (32 - c)); }

function Rounds(x) {
  const q = (a, b, c, d) => {
    x[b] ^= Rotl((x[a] + x[d]) | 0, 7); x[c] ^= Rotl((x[b] + x[a]) | 0, 9);
    x[d] ^= Rotl((x[c] + x[b]) | 0, 13); x[a] ^= Rotl((x[d] + x[c]) | 0, 18);
  };
  for (let i = 0; i < 20; i += 2) {
    q(0, 4, 8, 12); q(5, 9, 13, 1); q(10, 14, 2, 6); q(15, 3, 7, 11);
    q(0, 1, 2, 3); q(5, 6, 7, 4); q(10, 11, 8, 9); q(15, 12, 13, 14);
  }
}

function Words(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; i += 4) out.push(bytes.readUInt32LE(i));
  return out;
}

function State(key, sixteen) {
  const k = Words(key);
  const n = Words(sixteen);
  return Uint32Array.from([kSigma[0], ...k.slice(0, 4), kSigma[1], ...n, kSigma[2], ...k.slice(4), kSigma[3]]);
}

// XSalsa20's key stream of `length` bytes for a 32-byte key and a 24-byte nonce.
function KeyStream(key, nonce, length) {
  const h = State(key, nonce.subarray(0, 16));
  Rounds(h);
  const subkey = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => subkey.writeUInt32LE(h[w], 4 * i));
  const out = Buffer.alloc(Math.ceil(length / 64) * 64);
  for (let block = 0; block * 64 < length; ++block) {
    const counter = Buffer.alloc(8);
    counter.writeUInt32LE(block, 0);
    const input = State(subkey, Buffer.concat([nonce.subarray(16, 24), counter]));
    const x = Uint32Array.from(input);
    Rounds(x);
    for (let i = 0; i < 16; ++i) out.writeUInt32LE((x[i] + input[i]) >>> 0, 64 * block + 4 * i);
  }
  return out.subarray(0, length);
}

// A link sealed by SealLink: nonce (24), tag (16), then the link XORed with the stream after
// its first 32 bytes (the Poly1305 key).
export function OpenSealedLink(key, sealed) {
  const nonce = sealed.subarray(0, 24);
  const cipher = sealed.subarray(40);
  const stream = KeyStream(key, nonce, 32 + cipher.length);
  return Buffer.from(cipher.map((b, i) => b ^ stream[32 + i])).toString('utf8');
}

function Query(databaseUrl, sql) {
  return execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', databaseUrl, '-c', sql], { encoding: 'utf8' }).trim();
}

// The link of the newest invitation queued for `email` at the node whose database is
// `databaseUrl` (Federation's node.database), or null.
export function InvitationLink(databaseUrl, email) {
  const key = Query(databaseUrl, "SELECT encode(secret, 'hex') FROM node_secret WHERE name = 'outbox_link'");
  const sealed = Query(databaseUrl, `SELECT encode(sealed_link, 'hex') FROM outbox WHERE kind = 'member_invitation' ` +
    `AND recipient = '${email.replaceAll("'", "''")}' ORDER BY message_id DESC LIMIT 1`);
  if (!key || !sealed) return null;
  return OpenSealedLink(Buffer.from(key, 'hex'), Buffer.from(sealed, 'hex'));
}
