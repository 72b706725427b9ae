// Offline verification of a national record in the browser (docs/protocol.md): the region's
// signed checkpoint (Ed25519 via WebCrypto), the entry's inclusion in the signed tree
// (RFC 9162 2.1.3.2) and the payload against its salted commitment. Pure functions over
// bytes; nothing here trusts the server that served the proof.

const encoder = new TextEncoder();

export function HexToBytes(hex) {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error('hex invalide');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

export function BytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function Base64ToBytes(text) {
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function Concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function Equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function Sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export const LeafHash = (entry) => Sha256(Concat(Uint8Array.of(0), entry));
const InteriorHash = (left, right) => Sha256(Concat(Uint8Array.of(1), left, right));

// RFC 9162 2.1.3.2: true iff `proof` proves leaf `index` in the tree of `size` with `root`.
export async function VerifyInclusion(index, size, leafHash, proof, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await InteriorHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = await InteriorHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Equal(r, root);
}

export async function PayloadCommitment(salt, payload) {
  return Sha256(Concat(encoder.encode('ess-federation/payload/v1'), Uint8Array.of(0), salt, payload));
}

// Entry layout: the fields a person wants to see (docs/protocol.md §2).
export function DecodeEntry(bytes) {
  if (bytes.length < 20 || bytes[0] !== 1) throw new Error('entrée illisible');
  const n = bytes[19];
  if (bytes.length !== 72 + n) throw new Error('entrée de longueur invalide');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    operation: bytes[1],
    kind: bytes[2],
    index: Number(view.getBigUint64(3)),
    timestampMs: Number(view.getBigInt64(11)),
    region: new TextDecoder().decode(bytes.subarray(20, 20 + n)),
    recordVersion: view.getUint32(36 + n),
    commitment: bytes.subarray(40 + n, 72 + n),
  };
}

// "<name>+<8 hex>+<base64(0x01 || key)>"
export function ParseVerifierKey(text) {
  // The name holds no '+', but the base64 part may.
  const first = text.indexOf('+'), second = text.indexOf('+', first + 1);
  const name = text.slice(0, first), id = text.slice(first + 1, second);
  const raw = Base64ToBytes(text.slice(second + 1));
  if (!name || !/^[0-9a-f]{8}$/.test(id) || raw.length !== 33 || raw[0] !== 1) throw new Error('clé illisible');
  return { name, keyId: id, publicKey: raw.subarray(1) };
}

export async function KeyId(name, publicKey) {
  const h = await Sha256(Concat(encoder.encode(name), Uint8Array.of(0x0a, 0x01), publicKey));
  return BytesToHex(h.subarray(0, 4));
}

// Splits a signed note into its text and signature lines.
export function ParseNote(note) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('note sans signature');
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2).split('\n').filter((l) => l).map((line) => {
    if (!line.startsWith('\u2014 ')) throw new Error('ligne de signature invalide');
    const [name, b64] = line.slice(2).split(' ');
    const raw = Base64ToBytes(b64);
    return { name, keyId: BytesToHex(raw.subarray(0, 4)), signature: raw.subarray(4) };
  });
  return { text, signatures };
}

export function ParseCheckpoint(text) {
  const lines = text.split('\n');
  return { origin: lines[0], size: Number(lines[1]), root: Base64ToBytes(lines[2]) };
}

export async function VerifyEd25519(publicKey, message, signature) {
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

// Checks a record proof as served by the hub. `proof`: {entry (hex), payload (text or
// null), salt (hex or null), inclusion_proof ([hex]), checkpoint (signed note), key
// (verifier key string)}. Returns the list of checks, each {name, ok, detail}.
export async function VerifyRecordProof(proof) {
  const checks = [];
  const check = (name, ok, detail = '') => { checks.push({ name, ok, detail }); return ok; };
  try {
    const key = ParseVerifierKey(proof.key);
    check('key_id', (await KeyId(key.name, key.publicKey)) === key.keyId, key.keyId);
    const note = ParseNote(proof.checkpoint);
    const cp = ParseCheckpoint(note.text);
    check('origin', cp.origin === key.name, cp.origin);
    const sig = note.signatures.find((s) => s.name === key.name && s.keyId === key.keyId);
    check('signature', !!sig && await VerifyEd25519(key.publicKey, encoder.encode(note.text), sig.signature),
      `taille ${cp.size}`);
    const entry = HexToBytes(proof.entry);
    const decoded = DecodeEntry(entry);
    check('inclusion', await VerifyInclusion(decoded.index, cp.size, await LeafHash(entry),
      proof.inclusion_proof.map(HexToBytes), cp.root), `entrée ${decoded.index}`);
    if (proof.payload != null && proof.salt != null) {
      const commitment = await PayloadCommitment(HexToBytes(proof.salt), encoder.encode(proof.payload));
      check('payload', Equal(commitment, decoded.commitment));
    }
  } catch (e) {
    check('format', false, e.message);
  }
  return checks;
}
