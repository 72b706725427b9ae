// Keeps a local copy of the national map in step with the hub's change feed
// (GET /api/changes, docs/interop.md): reads every page since the cursor saved in the copy,
// applies each upsert and removal, then saves the copy and the new cursor.
//   node docs/examples/follow-changes.mjs HUB_URL COPY_FILE
// COPY_FILE is created when missing: {"cursor": "...", "initiatives": {"93/<id>": {...}}}.
import { readFile, writeFile, rename } from 'node:fs/promises';

const [hub, file] = process.argv.slice(2);
if (!hub || !file) {
  console.error('usage: node follow-changes.mjs HUB_URL COPY_FILE');
  process.exit(2);
}

let copy = { cursor: '', initiatives: {} };
try {
  copy = JSON.parse(await readFile(file, 'utf8'));
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}

let applied = 0;
for (;;) {
  const url = new URL('/api/changes', hub);
  url.searchParams.set('limit', '1000');
  if (copy.cursor) url.searchParams.set('after', copy.cursor);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const page = await res.json();
  for (const change of page.changes) {
    const key = `${change.region}/${change.id}`;
    if (change.change === 'upsert') copy.initiatives[key] = change.record;
    else delete copy.initiatives[key];
    applied += 1;
  }
  copy.cursor = page.next;
  if (!page.more) break;
}

// Written whole then renamed: an interrupted run leaves the previous copy intact.
await writeFile(`${file}.tmp`, JSON.stringify(copy));
await rename(`${file}.tmp`, file);
console.log(`changes applied: ${applied}, initiatives in the copy: ` +
            `${Object.keys(copy.initiatives).length}, resume at: ${copy.cursor}`);
