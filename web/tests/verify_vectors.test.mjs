// The browser-side verifier (web/common/verify.js) against the protocol's test vectors
// (docs/protocol.md), in Chromium: the record proof of entry 5 in the signed tree of size
// 8 verifies, and each mutation (a payload byte, an entry byte, a proof hash, the
// signature, another key) is caught by the matching check.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { LaunchBrowser, NewPage } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(join(root, 'docs', 'protocol.md'), 'utf8');
const block = (title) => {
  const at = doc.indexOf(title);
  assert.ok(at >= 0, `vector "${title}" missing from docs/protocol.md`);
  const start = doc.indexOf('```text\n', at) + 8;
  return doc.slice(start, doc.indexOf('```', start));
};
// The lines from `first` up to the end of its code block.
const lines = (first) => {
  const at = doc.indexOf(first);
  assert.ok(at >= 0, `vector "${first}" missing from docs/protocol.md`);
  return doc.slice(at, doc.indexOf('```', at));
};
const field = (text, name) => text.split('\n').find((l) => l.startsWith(name)).slice(name.length).trim();

const entry5 = lines('entry 5    put');
const proof = {
  entry: field(entry5, 'entry hex'),
  payload: field(entry5, 'payload'),
  salt: field(entry5, 'salt'),
  inclusion_proof: block('Inclusion proof of entry 5').trim().split('\n'),
  checkpoint: block('Signed checkpoint of size 8'),
  key: field(block('#### Keys'), 'verifier key'),
};

const server = createServer((req, res) => {
  if (req.url === '/verify.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    res.end(readFileSync(join(root, 'web', 'common', 'verify.js')));
  } else {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html lang="fr"><title>v</title><body></body></html>');
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await LaunchBrowser();
try {
  const page = await NewPage(browser);
  await page.goto(base + '/');
  const run = (p) => page.evaluate(async ([url, p]) => {
    const m = await import(url);
    return m.VerifyRecordProof(p);
  }, [base + '/verify.js', p]);
  const failing = (checks) => checks.filter((c) => !c.ok).map((c) => c.name);

  const good = await run(proof);
  assert.deepEqual(failing(good), [], JSON.stringify(good));
  assert.deepEqual(good.map((c) => c.name), ['key_id', 'origin', 'signature', 'inclusion', 'payload']);

  const flip = (hex, i) => hex.slice(0, i) + ((parseInt(hex[i], 16) ^ 1).toString(16)) + hex.slice(i + 1);
  assert.deepEqual(failing(await run({ ...proof, payload: proof.payload.replace('SCIC', 'SCOP') })), ['payload']);
  assert.deepEqual(failing(await run({ ...proof, entry: flip(proof.entry, 30) })), ['inclusion']);
  assert.deepEqual(failing(await run({ ...proof, inclusion_proof: [flip(proof.inclusion_proof[0], 0), ...proof.inclusion_proof.slice(1)] })), ['inclusion']);
  assert.deepEqual(failing(await run({ ...proof, inclusion_proof: proof.inclusion_proof.slice(1) })), ['inclusion']);
  const badSig = proof.checkpoint.replace(/(\n\u2014 \S+ )(\S)/, (m, a, c) => a + (c === 'A' ? 'B' : 'A'));
  assert.deepEqual(failing(await run({ ...proof, checkpoint: badSig })), ['signature']);
  const otherKey = field(block("The region's next key"), 'verifier key');
  assert.ok(failing(await run({ ...proof, key: otherKey })).includes('signature'));
  assert.deepEqual(page.errors, []);
  console.log('verify.js: protocol vectors verify in Chromium; 6 mutations caught');
} finally {
  await browser.close();
  server.close();
}
