// The client of bench/replication_lag.sh: registrations at a steady rate through the node's
// HTTP API (open loop: one every 1/rate s whatever the answers), and meanwhile the hub's HTTP
// API polled back to back (GET /api/regions/93: the region's tree size the hub holds and
// serves). A write's lag: from its 2xx to the first answer of the hub whose tree size covers
// the write's log index (read from the node's database after the run), on this process's
// monotonic clock. Prints one JSON object: count, failed, achieved rate, p50/p99/max in ms.
//   node bench/replication_lag.mjs NODE_PORT HUB_PORT RATE SECONDS BODY_FILE NODE_DATABASE
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [nodePort, hubPort, rate, seconds, bodyFile, nodeDatabase] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const hubAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const now = () => performance.now();

function request(port, method, path, payload, useAgent) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: useAgent,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {} },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      });
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (payload) req.write(payload);
    req.end();
  });
}

const writes = [];  // [t_2xx, record id]
let failed = 0;
const failures = {};  // status -> count (0: no answer)
let sent = 0;
const hub = [];  // [t, tree_size] at each change
let polling = true;

async function pollHub() {
  let last = -1;
  while (polling) {
    const r = await request(hubPort, 'GET', '/api/regions/93', null, hubAgent);
    const t = now();
    if (r.status === 200) {
      const size = JSON.parse(r.text).tree_size;
      if (size !== last) { hub.push([t, size]); last = size; }
    }
  }
}

async function write() {
  const r = await request(nodePort, 'POST', '/api/initiatives', body, agent);
  const t = now();
  if (r.status >= 200 && r.status < 300) writes.push([t, JSON.parse(r.text).initiative.id]);
  else {
    failed += 1;
    failures[r.status] = (failures[r.status] ?? 0) + 1;
  }
}

const poller = pollHub();
while (!hub.length) await new Promise((r) => setTimeout(r, 5));
const initial = hub[0][1];
const start = now();
const total = Math.round(Number(rate) * Number(seconds));
const inflight = [];
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * Number(rate)));
    while (sent < due) { inflight.push(write()); sent += 1; }
    if (sent >= total) resolve(); else setTimeout(tick, 1);
  };
  tick();
});
await Promise.all(inflight);
const elapsed = (now() - start) / 1000;
// Then let the hub catch up with everything (bounded), still polling.
const deadline = now() + 60_000;
const nodeSize = () => (hub.length ? hub[hub.length - 1][1] : 0);
while (now() < deadline && nodeSize() < initial + writes.length) {
  await new Promise((r) => setTimeout(r, 20));
}
polling = false;
await poller;

const indexOf = new Map(
  execFileSync('psql', ['-tAq', '-F', ' ', nodeDatabase, '-c',
    "SELECT record_id, log_index FROM log_entry WHERE kind = 'initiative'"], { maxBuffer: 1 << 28 })
    .toString().trim().split('\n').map((line) => line.split(' ')).map(([id, i]) => [id, Number(i)]));
const lags = [];
let unseen = 0;
for (const [t, id] of writes) {
  const index = indexOf.get(id);
  const served = hub.find(([, size]) => size > index);  // hub[] is in time order
  if (index === undefined || !served) { unseen += 1; continue; }
  lags.push(Math.max(0, served[0] - t));
}
lags.sort((a, b) => a - b);
const pick = (q) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] : null);
const round = (x) => (x === null ? null : Math.round(x * 10) / 10);
process.stdout.write(JSON.stringify({
  count: lags.length, unseen, failed, failures, sent, rate: Math.round(writes.length / elapsed),
  p50_ms: round(pick(0.5)), p99_ms: round(pick(0.99)), max_ms: round(lags[lags.length - 1] ?? null),
}) + '\n');
